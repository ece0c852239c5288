import * as assert from 'node:assert/strict';
import { FaultRegistry } from '../../../sandbox/faults';

describe('sandbox fault rules', () => {
  it('refuses malformed rules with a sentence', () => {
    const faults = new FaultRegistry();
    assert.equal(typeof faults.add({ kind: 'explode' }), 'string');
    assert.equal(typeof faults.add({ kind: 'latency', path: '(' }), 'string');
    assert.equal(typeof faults.add({ kind: 'throttle', probability: 2 }), 'string');
    assert.equal(typeof faults.add({ kind: 'throttle', times: 0 }), 'string');
    assert.deepEqual(faults.list(), []);
  });

  it('fires only on matching service, method and path, at most `times` times', () => {
    const faults = new FaultRegistry();
    faults.add({ kind: 'throttle', service: 'hsm', method: 'post', path: '/wrapkey$', times: 2, retryAfterSeconds: 3 });
    assert.equal(faults.decide('arm', 'POST', '/keys/a/wrapkey').kind, 'none');
    assert.equal(faults.decide('hsm', 'GET', '/keys/a/wrapkey').kind, 'none');
    assert.deepEqual(faults.decide('hsm', 'POST', '/keys/a/wrapkey'), { kind: 'throttle', retryAfterSeconds: 3 });
    assert.equal(faults.decide('hsm', 'POST', '/keys/a/wrapkey').kind, 'throttle');
    assert.equal(faults.decide('hsm', 'POST', '/keys/a/wrapkey').kind, 'none');
    assert.equal(faults.list()[0].fired, 2);
  });

  it('is reproducible for the same seed and probability', () => {
    const draw = (seed: number) => {
      const faults = new FaultRegistry();
      faults.add({ kind: 'unavailable', probability: 0.3, seed });
      return Array.from({ length: 200 }, () => faults.decide('hsm', 'GET', '/keys').kind).join(',');
    };
    assert.equal(draw(7), draw(7));
    assert.notEqual(draw(7), draw(8));
    const fired = draw(7).split(',').filter((k) => k === 'unavailable').length;
    assert.ok(fired > 30 && fired < 90, `about 30% of 200 should fire, got ${fired}`);
  });
});
