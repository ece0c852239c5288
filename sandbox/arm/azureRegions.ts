// Regions the sandbox's ARM knows. ARM takes a location's programmatic name ('eastus') or its
// display name ('East US') and stores the programmatic one.

/** Regions offering Microsoft.KeyVault/managedHSMs (public cloud, as listed by the provider). */
export const managedHsmRegions = [
  'australiacentral',
  'australiaeast',
  'australiasoutheast',
  'brazilsouth',
  'canadacentral',
  'canadaeast',
  'centralindia',
  'centralus',
  'eastasia',
  'eastus',
  'eastus2',
  'francecentral',
  'germanywestcentral',
  'japaneast',
  'japanwest',
  'koreacentral',
  'northcentralus',
  'northeurope',
  'norwayeast',
  'polandcentral',
  'qatarcentral',
  'southafricanorth',
  'southcentralus',
  'southeastasia',
  'southindia',
  'swedencentral',
  'switzerlandnorth',
  'uaenorth',
  'uksouth',
  'ukwest',
  'westcentralus',
  'westeurope',
  'westus',
  'westus2',
  'westus3',
] as const;

/** Every region a resource group may live in: the HSM regions and the ones without HSMs. */
export const resourceGroupRegions = [...managedHsmRegions, 'brazilsoutheast', 'germanynorth', 'jioindiawest', 'koreasouth', 'norwaywest', 'southafricawest', 'switzerlandwest', 'uaecentral', 'westindia', 'israelcentral', 'italynorth', 'mexicocentral', 'spaincentral'] as const;

/** 'East US' → 'eastus'. */
export function normaliseLocation(location: string): string {
  return location.replace(/\s+/g, '').toLowerCase();
}
