import * as l10n from '@vscode/l10n';
import { ActionableError } from '../../core/actionableError';

// Values that end up inside Graph URLs: OData string literals, and ids that must be GUIDs so a
// crafted value cannot change the path.

/** An OData string literal: single quotes doubled, the whole quoted. */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function requireGuid(value: string, what: string): void {
  if (!guid.test(value)) throw new ActionableError(l10n.t('The {0} "{1}" is not a GUID; copy it again from the app registration.', what, value), 'invalidInput');
}
