import * as assert from 'node:assert/strict';
import { classifyLastStatus, interpretRotation, mapRotationStatus, type RotationStatus } from '../../src/secretServer/rotationProgress';

const idle: RotationStatus = { lastRunDate: '2025-01-01T10:00:00Z', lastStatus: 'Success', message: 'Rotated 300 secrets.' };

describe('Secret Server rotation progress', () => {
  it('maps RotateSecretKeysStatusModel', () => {
    assert.deepEqual(
      mapRotationStatus({ lastRequestDate: null, lastRunDate: null, lastStatus: 'NeverRun', message: '', progressStatus: { isCancelling: false, message: 'Rotating', secretsProcessed: 10, totalSecretsToProcess: 300 } }),
      { lastRequestDate: undefined, lastRunDate: undefined, lastStatus: 'NeverRun', message: undefined, progress: { isCancelling: false, message: 'Rotating', secretsProcessed: 10, totalSecretsToProcess: 300 } },
    );
    assert.equal(mapRotationStatus({ lastStatus: 'Running', progressStatus: null }).progress, undefined);
  });

  it('reads status words in the spellings servers use', () => {
    const cases: [string | undefined, string][] = [
      [undefined, 'idle'],
      ['NeverRun', 'idle'],
      ['Running', 'running'],
      ['InProgress', 'running'],
      ['Requested', 'pending'],
      ['EnablingMaintenanceMode', 'pending'],
      ['Cancelling', 'cancelling'],
      ['Cancelled', 'cancelled'],
      ['Canceled', 'cancelled'],
      ['Failed', 'failed'],
      ['CompletedWithErrors', 'failed'],
      ['Success', 'succeeded'],
      ['Completed', 'succeeded'],
      ['Frobnicated', 'unknown'],
    ];
    for (const [word, expected] of cases) assert.equal(classifyLastStatus(word), expected, String(word));
  });

  it('reports live counts as running with a percentage, even while lastStatus still shows the previous run', () => {
    const p = interpretRotation({ ...idle, progress: { isCancelling: false, message: 'Re-encrypting', secretsProcessed: 75, totalSecretsToProcess: 300 } }, { since: idle });
    assert.equal(p.state, 'running');
    assert.equal(p.done, false);
    assert.equal(p.percent, 25);
    assert.equal(p.message, 'Re-encrypting');
  });

  it('waits (pending) until something shows the requested run, so the previous result is not taken for it', () => {
    const p = interpretRotation({ ...idle, lastRequestDate: '2025-02-01T00:00:00Z' }, { since: idle });
    assert.equal(p.state, 'pending');
    assert.equal(p.done, false);
  });

  it('ends when the result changed, in whatever way the run ended', () => {
    const ok = interpretRotation({ lastRunDate: '2025-02-01T00:05:00Z', lastStatus: 'Success', message: 'done' }, { since: idle });
    assert.deepEqual([ok.state, ok.done, ok.message], ['succeeded', true, 'done']);
    const cancelled = interpretRotation({ lastRunDate: '2025-02-01T00:05:00Z', lastStatus: 'Cancelled', progress: { isCancelling: false, secretsProcessed: 120, totalSecretsToProcess: 300 } }, { since: idle });
    assert.deepEqual([cancelled.state, cancelled.done, cancelled.percent], ['cancelled', true, 40]);
    const failed = interpretRotation({ ...idle, lastStatus: 'Failed', message: 'Key unavailable' }, { since: idle });
    assert.equal(failed.state, 'failed');
  });

  it('reports cancelling while the server winds down', () => {
    const p = interpretRotation({ ...idle, progress: { isCancelling: true, secretsProcessed: 50, totalSecretsToProcess: 300 } }, { since: idle });
    assert.deepEqual([p.state, p.done], ['cancelling', false]);
  });

  it('without a baseline, reports whatever is current and is done when nothing runs', () => {
    assert.deepEqual([interpretRotation(idle).state, interpretRotation(idle).done], ['succeeded', true]);
    assert.deepEqual([interpretRotation({ lastStatus: 'NeverRun' }).state, interpretRotation({ lastStatus: 'NeverRun' }).done], ['idle', true]);
    assert.equal(interpretRotation({ lastStatus: 'Mystery', lastRunDate: 'x' }).state, 'ended');
  });
});
