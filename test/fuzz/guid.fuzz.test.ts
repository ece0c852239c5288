import * as assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { ActionableError } from '../../src/core/actionableError';
import { managedHsmRoleIds, roleDefinitionIdFor, roleGuidOf } from '../../src/core/managedHsmRoles';
import { requireGuid } from '../../src/azure/graph/odata';
import { parsePageMessage } from '../../src/protocol/keyManagementForm';
import { runs } from './fuzzRuns';

const TARGET = 'GUID validation';

// Every place that decides "is this a GUID": the role id reader (core), the Graph URL guard (a
// crafted id must not change a Graph path) and the webview's stored-secret keyId. They must agree
// with one another and with the 8-4-4-4-12 hex shape, for any string.

const guidShape = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const guid = fc.uuid({ version: [1, 2, 3, 4, 5, 6, 7, 8, 15] }).chain((g) => fc.boolean().map((up) => (up ? g.toUpperCase() : g)));
// Near misses: one character changed, dropped or added, braces, whitespace, URL pieces.
const nearMiss = fc.tuple(guid, fc.nat(36), fc.string({ minLength: 0, maxLength: 2 }), fc.nat(2)).map(([g, at, s, del]) => g.slice(0, at) + s + g.slice(at + del));
const candidate = fc.oneof(guid, nearMiss, fc.string({ maxLength: 60 }), guid.map((g) => `{${g}}`), guid.map((g) => ` ${g}`), guid.map((g) => `${g}/../x`));
const prefix = fc.constantFrom('', '/', 'Microsoft.KeyVault/providers/Microsoft.Authorization/roleDefinitions/', '/providers/Microsoft.Authorization/roleDefinitions/', 'a/b/');

function graphAccepts(value: string): boolean {
  try {
    requireGuid(value, 'application ID');
    return true;
  } catch (err) {
    assert.ok(err instanceof ActionableError, 'requireGuid threw something other than ActionableError');
    assert.equal(err.kind, 'invalidInput');
    return false;
  }
}

function keyIdAccepted(value: string): boolean {
  const form = { connectionId: 'c', typeId: 1, tenantId: '', principalId: '', keyUrl: '', confirmed: true, secret: { kind: 'stored', keyId: value } };
  return parsePageMessage({ type: 'save', requestId: 'r1', form }).ok;
}

describe('fuzz: GUID validation (managedHsmRoles, graph/odata, keyManagementForm)', () => {
  it('all GUID checks agree with the 8-4-4-4-12 hex shape', () => {
    fc.assert(
      fc.property(candidate, (value) => {
        const isGuid = guidShape.test(value);
        assert.equal(graphAccepts(value), isGuid, `requireGuid(${JSON.stringify(value)})`);
        assert.equal(keyIdAccepted(value), isGuid, `keyId ${JSON.stringify(value)}`);
        // roleGuidOf reads the last path segment, so a bare value without '/' must be judged the same.
        if (!value.includes('/')) assert.equal(roleGuidOf(value), isGuid ? value.toLowerCase() : undefined);
      }),
      runs(TARGET),
    );
  });

  it('roleGuidOf reads back the GUID of a role definition id in every written form', () => {
    fc.assert(
      fc.property(guid, prefix, fc.boolean(), fc.string({ maxLength: 40 }), (g, p, trailingSlash, junk) => {
        assert.equal(roleGuidOf(`${p}${g}${trailingSlash ? '/' : ''}`), g.toLowerCase());
        assert.equal(roleGuidOf(roleDefinitionIdFor(g)), g.toLowerCase());
        const last = junk.split('/').filter(Boolean).pop() ?? '';
        assert.equal(roleGuidOf(`${p}${g}/${junk}`), guidShape.test(last) ? last.toLowerCase() : guidShape.test(g) && last === '' ? g.toLowerCase() : undefined);
        assert.ok(Object.values(managedHsmRoleIds).every((id) => roleGuidOf(roleDefinitionIdFor(id)) === id));
      }),
      runs(TARGET),
    );
  });
});
