import * as assert from 'node:assert/strict';
import { ActionableError, type ErrorKind } from '../../src/core/actionableError';

/**
 * Awaits a call that must fail with the product's one user-facing error type, of `kind` when given,
 * with a message matching every pattern; returns the error for further checks.
 */
export async function rejectsActionable(promise: Promise<unknown>, kind?: ErrorKind, ...patterns: RegExp[]): Promise<ActionableError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof ActionableError, `expected an ActionableError, got ${String(err)}`);
    if (kind) assert.equal(err.kind, kind, `expected kind '${kind}', got '${err.kind}': ${err.message}`);
    for (const p of patterns) assert.match(err.message, p);
    return err;
  }
  assert.fail(kind ? `expected the call to fail with '${kind}'` : 'expected the call to fail');
}
