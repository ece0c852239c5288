import * as assert from 'node:assert/strict';
import { setImmediate as turn } from 'node:timers/promises';
import { oneWriteAtATime } from '../../src/core/oneWriteAtATime';

/**
 * globalState as VS Code's extension host keeps it: one value for all keys, saved as a whole after
 * the messages already waiting; the workbench echoes each save back, and the echo replaces the
 * host's copy just before the save resolves (it is sent first). The test runs the saves and
 * echoes one step at a time, so the order is the one under test, not a timing.
 */
class WholeValueMemento {
  private copy: Record<string, unknown> = {};
  private waiting: (() => void)[] = [];
  private saveQueued = false;
  private readonly steps: (() => void)[] = [];

  keys(): readonly string[] {
    return Object.keys(this.copy).filter((k) => this.copy[k] !== undefined);
  }

  get<T>(key: string, defaultValue?: T): T | undefined {
    return (this.copy[key] as T | undefined) ?? defaultValue;
  }

  update(key: string, value: unknown): Promise<void> {
    this.copy[key] = value;
    const saved = new Promise<void>((resolve) => this.waiting.push(resolve));
    if (!this.saveQueued) {
      this.saveQueued = true;
      this.steps.push(() => {
        this.saveQueued = false;
        const written = JSON.stringify(this.copy);
        const done = this.waiting.splice(0);
        this.steps.push(() => {
          this.copy = JSON.parse(written) as Record<string, unknown>;
          for (const resolve of done) resolve();
        });
      });
    }
    return saved;
  }

  /** Lets pending promises run, runs the next save or echo, and lets the promises it resolved run. */
  async step(): Promise<void> {
    await turn();
    this.steps.shift()?.();
    await turn();
  }

  async settle(): Promise<void> {
    do await this.step();
    while (this.steps.length);
  }
}

describe('oneWriteAtATime (globalState writes of the extension, one at a time)', () => {
  /** A renewal that keeps its secret: the activity log's save (not awaited) is on its way back when the index is saved. */
  async function keepWhileAnotherSaveIsInFlight(inner: WholeValueMemento, state: { update(k: string, v: unknown): PromiseLike<void>; get<T>(k: string): T | undefined }): Promise<unknown> {
    void state.update('activity', ['Add client secret']);
    await inner.step(); // the activity log's save is sent; its echo is not back yet
    const kept = state.update('index', ['new secret']);
    await inner.settle();
    await kept;
    return state.get('index');
  }

  it('the model shows the loss: an update made while another save is on its way back is dropped, though it resolved', async () => {
    const inner = new WholeValueMemento();
    assert.equal(await keepWhileAnotherSaveIsInFlight(inner, inner), undefined);
  });

  it('keeps every update when each write waits for the previous one', async () => {
    const inner = new WholeValueMemento();
    const state = oneWriteAtATime(inner);
    assert.deepEqual(await keepWhileAnotherSaveIsInFlight(inner, state), ['new secret']);
    assert.deepEqual(state.get('activity'), ['Add client secret']);
    assert.deepEqual(inner.get('index'), ['new secret']);
  });

  it('answers get() and keys() with queued values before they are saved, and copies objects as VS Code does', async () => {
    const inner = new WholeValueMemento();
    const state = oneWriteAtATime(inner);
    const first = state.update('gone', 1);
    await inner.settle();
    await first;
    const list = ['a'];
    void state.update('slow', 1);
    const saved = state.update('list', list);
    void state.update('gone', undefined);
    list.push('changed later');
    assert.deepEqual(state.get('list'), ['a']);
    assert.equal(inner.get('list'), undefined, 'not written yet');
    assert.equal(state.get('gone', 'default'), 'default');
    assert.deepEqual([...state.keys()].sort(), ['list', 'slow']);
    await inner.settle();
    await saved;
    await inner.settle();
    assert.deepEqual(inner.get('list'), ['a']);
    assert.equal(inner.get('gone'), undefined);
    assert.deepEqual([...state.keys()].sort(), ['list', 'slow']);
  });

  it('a failed write does not stop the ones queued after it', async () => {
    const failing = { keys: () => [], get: () => undefined, update: async (key: string) => { if (key === 'bad') throw new Error('disk full'); } };
    const state = oneWriteAtATime(failing);
    await assert.rejects(Promise.resolve(state.update('bad', 1)), /disk full/);
    await state.update('good', 1);
  });
});
