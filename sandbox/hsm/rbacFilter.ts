import type { RoleAssignment } from '../state/world';
import { scopeCovers } from './authorization';
import { activityError } from './activityError';
import type { BuiltInRole } from './roleDefinitions';

// The $filter grammar of the two RBAC list operations. Clauses may be joined with 'and'.
//   role assignments: atScope()  |  principalId eq '{id}'  (quotes optional, as the spec writes it)
//   role definitions: atScopeAndBelow()  |  roleName eq '{name}'

export interface AssignmentFilter {
  atScope: boolean;
  principalId?: string;
}

export interface DefinitionFilter {
  roleName?: string;
}

export function parseAssignmentFilter(raw: string | null): AssignmentFilter {
  const filter: AssignmentFilter = { atScope: false };
  for (const clause of clauses(raw)) {
    if (/^atScope\(\)$/i.test(clause)) {
      filter.atScope = true;
      continue;
    }
    const principal = /^principalId\s+eq\s+(?:'([^']*)'|([^'\s]+))$/i.exec(clause);
    if (principal && (principal[1] ?? principal[2])) {
      filter.principalId = (principal[1] ?? principal[2]).toLowerCase();
      continue;
    }
    throw unsupported(raw ?? '', "atScope() or principalId eq '{principalId}'");
  }
  return filter;
}

export function parseDefinitionFilter(raw: string | null): DefinitionFilter {
  const filter: DefinitionFilter = {};
  for (const clause of clauses(raw)) {
    // Definitions exist only at '/', so "and below" changes nothing.
    if (/^atScopeAndBelow\(\)$/i.test(clause)) continue;
    const name = /^roleName\s+eq\s+'(.*)'$/i.exec(clause);
    if (name) {
      filter.roleName = name[1].replace(/''/g, "'");
      continue;
    }
    throw unsupported(raw ?? '', "atScopeAndBelow() or roleName eq '{roleName}'");
  }
  return filter;
}

/**
 * Which assignments a list at `scope` returns. atScope(): at or above the scope (the spec).
 * principalId: that principal's assignments at, above or below the scope (the spec). No filter:
 * every assignment at, above or below the scope — the spec is silent; this is the sandbox's choice.
 */
export function assignmentMatches(assignment: RoleAssignment, scope: string, filter: AssignmentFilter): boolean {
  const atOrAbove = scopeCovers(assignment.scope, scope);
  const below = scopeCovers(scope, assignment.scope);
  if (filter.atScope && !atOrAbove) return false;
  if (!atOrAbove && !below) return false;
  if (filter.principalId !== undefined && assignment.principalId.toLowerCase() !== filter.principalId) return false;
  return true;
}

export function definitionMatches(role: BuiltInRole, filter: DefinitionFilter): boolean {
  return filter.roleName === undefined || role.roleName.toLowerCase() === filter.roleName.toLowerCase();
}

function clauses(raw: string | null): string[] {
  const text = (raw ?? '').trim();
  if (text === '') return [];
  return text.split(/\s+and\s+/i).map((c) => c.trim());
}

function unsupported(raw: string, supported: string): Error {
  return activityError(400, 'BadParameter', `The $filter '${raw}' is not supported. Use ${supported}.`);
}
