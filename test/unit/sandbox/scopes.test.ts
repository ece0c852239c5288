import * as assert from 'node:assert/strict';
import { isAuthorized, normaliseScope, scopeCovers } from '../../../sandbox/hsm/authorization';
import { builtInRoleIds } from '../../../sandbox/hsm/roleDefinitions';
import type { Hsm } from '../../../sandbox/state/world';

describe('sandbox local RBAC scopes', () => {
  it('normalises repeated and trailing slashes', () => {
    assert.equal(normaliseScope('///'), '/');
    assert.equal(normaliseScope('/keys/'), '/keys');
    assert.equal(normaliseScope('keys//a'), '/keys/a');
  });

  it('covers the scope itself and everything below it, nothing beside it', () => {
    assert.ok(scopeCovers('/', '/keys/a'));
    assert.ok(scopeCovers('/keys', '/keys/a'));
    assert.ok(scopeCovers('/keys/a', '/keys/a'));
    assert.ok(!scopeCovers('/keys/a', '/keys/ab'));
    assert.ok(!scopeCovers('/keys/a', '/keys'));
  });

  it('grants a data action only through a role that has it, at a covering scope', () => {
    const hsm = { roleAssignments: [{ name: 'x', scope: '/keys/a', principalId: 'p', roleDefinitionId: builtInRoleIds.cryptoUser }] } as unknown as Hsm;
    assert.ok(isAuthorized(hsm, 'p', '/keys/wrap/action', '/keys/a'));
    assert.ok(!isAuthorized(hsm, 'p', '/keys/wrap/action', '/keys/b'));
    assert.ok(!isAuthorized(hsm, 'p', '/keys/deletedKeys/delete', '/keys/a'));
    assert.ok(!isAuthorized(hsm, 'q', '/keys/wrap/action', '/keys/a'));
  });
});
