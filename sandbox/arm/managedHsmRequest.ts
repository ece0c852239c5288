import { HttpError } from '../http/exchange';
import { managedHsmRegions, normaliseLocation } from './azureRegions';

// The body of PUT …/managedHSMs/{name}, validated as the Key Vault resource provider does before
// anything is created. Codes and wording follow ARM's; where the real text is unknown the choice
// is recorded in sandbox/README.md.

const guidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const skuNames = ['Standard_B1', 'Custom_B32', 'Custom_B6'];

export interface ManagedHsmCreateRequest {
  location: string;
  skuName: string;
  tenantId: string;
  initialAdminObjectIds: string[];
  softDeleteRetentionInDays: number;
  enablePurgeProtection: boolean;
  publicNetworkAccess: 'Enabled' | 'Disabled';
}

/** Managed HSM names: 3–24 characters, letters, digits and hyphens, a letter first, no '--', no '-' last. */
export function managedHsmNameProblem(name: string): string | undefined {
  if (!/^[a-zA-Z0-9-]{3,24}$/.test(name) || !/^[a-zA-Z]/.test(name) || !/[a-zA-Z0-9]$/.test(name) || name.includes('--')) {
    return `The name '${name}' is invalid. A Managed HSM's name must be between 3-24 alphanumeric characters. The name must begin with a letter, end with a letter or digit, and not contain consecutive hyphens.`;
  }
  return undefined;
}

export function requireManagedHsmName(name: string): void {
  const problem = managedHsmNameProblem(name);
  if (problem) throw new HttpError(400, 'BadRequest', problem);
}

export function parseManagedHsmCreate(body: Record<string, unknown>): ManagedHsmCreateRequest {
  const bad = (message: string) => new HttpError(400, 'BadRequest', message);
  if (body.location === undefined || body.location === null || body.location === '') {
    throw new HttpError(400, 'LocationRequired', 'The location property is required for this definition.');
  }
  if (typeof body.location !== 'string') throw new HttpError(400, 'InvalidRequestContent', "The request content was invalid and could not be deserialized: 'location' must be a string.");
  const location = normaliseLocation(body.location);
  if (!(managedHsmRegions as readonly string[]).includes(location)) {
    throw new HttpError(
      400,
      'LocationNotAvailableForResourceType',
      `The provided location '${body.location}' is not available for resource type 'Microsoft.KeyVault/managedHSMs'. List of available regions for the resource type is '${managedHsmRegions.join(',')}'.`,
    );
  }

  let skuName = 'Standard_B1';
  if (body.sku !== undefined) {
    const sku = body.sku as Record<string, unknown> | null;
    if (sku === null || typeof sku !== 'object' || Array.isArray(sku) || typeof sku.name !== 'string' || !skuNames.includes(sku.name)) {
      throw bad(`The SKU is invalid. Valid SKU names for Managed HSM are: ${skuNames.join(', ')}.`);
    }
    skuName = sku.name;
  }

  const properties = body.properties as Record<string, unknown> | null | undefined;
  if (properties === undefined || properties === null || typeof properties !== 'object' || Array.isArray(properties)) {
    throw bad("The 'properties' of the Managed HSM are missing.");
  }
  if (typeof properties.tenantId !== 'string' || !guidPattern.test(properties.tenantId)) {
    throw bad("The 'tenantId' property is required and must be a GUID.");
  }
  const admins = properties.initialAdminObjectIds;
  if (!Array.isArray(admins) || admins.length === 0) {
    throw bad("At least one initial administrator is required in 'initialAdminObjectIds'.");
  }
  for (const id of admins) {
    if (typeof id !== 'string' || !guidPattern.test(id)) throw bad(`The initial administrator object id '${String(id)}' is not a valid GUID.`);
  }
  if (properties.enableSoftDelete !== undefined && properties.enableSoftDelete !== true) {
    throw bad('Soft delete is always enabled on a Managed HSM and cannot be turned off.');
  }
  let retention = 90;
  if (properties.softDeleteRetentionInDays !== undefined) {
    const days = properties.softDeleteRetentionInDays;
    if (typeof days !== 'number' || !Number.isInteger(days) || days < 7 || days > 90) {
      throw bad(`The value '${String(days)}' of 'softDeleteRetentionInDays' is invalid. It must be a whole number of days from 7 to 90.`);
    }
    retention = days;
  }
  let purgeProtection = true;
  if (properties.enablePurgeProtection !== undefined) {
    if (typeof properties.enablePurgeProtection !== 'boolean') throw bad("'enablePurgeProtection' must be true or false.");
    purgeProtection = properties.enablePurgeProtection;
  }
  let publicNetworkAccess: 'Enabled' | 'Disabled' = 'Enabled';
  if (properties.publicNetworkAccess !== undefined) {
    if (properties.publicNetworkAccess !== 'Enabled' && properties.publicNetworkAccess !== 'Disabled') {
      throw bad(`The value '${String(properties.publicNetworkAccess)}' of 'publicNetworkAccess' is invalid. Allowed values are 'Enabled' and 'Disabled'.`);
    }
    publicNetworkAccess = properties.publicNetworkAccess;
  }
  if (properties.createMode !== undefined && properties.createMode !== 'default') {
    throw bad("Only createMode 'default' is supported here: there is no deleted Managed HSM with this name to recover.");
  }
  return {
    location,
    skuName,
    tenantId: properties.tenantId.toLowerCase(),
    initialAdminObjectIds: (admins as string[]).map((a) => a.toLowerCase()),
    softDeleteRetentionInDays: retention,
    enablePurgeProtection: purgeProtection,
    publicNetworkAccess,
  };
}
