import * as assert from 'node:assert/strict';
import { ActionableError } from '../../src/core/actionableError';
import { cloudFromSettings } from '../../src/auth/cloudSettings';
import { azureChinaCloud, azurePublicCloud, azureUsGovernment } from '../../src/azure/cloud';

// The shape VS Code documents for microsoft-sovereign-cloud.customEnvironment (the required keys
// of extensions/microsoft-authentication/package.json), for a private cloud.
const privateCloud = {
  name: 'ContosoStack',
  portalUrl: 'https://portal.contoso-stack.example/',
  managementEndpointUrl: 'https://management.contoso-stack.example/',
  resourceManagerEndpointUrl: 'https://management.contoso-stack.example/',
  activeDirectoryEndpointUrl: 'https://login.contoso-stack.example/',
  activeDirectoryResourceId: 'https://management.core.contoso-stack.example/',
};

function invalidInput(pattern: RegExp) {
  return (err: unknown) => {
    assert.ok(err instanceof ActionableError);
    assert.equal(err.kind, 'invalidInput');
    assert.match(err.message, pattern);
    return true;
  };
}

describe('cloudFromSettings', () => {
  it('is the public cloud with the microsoft provider when the setting is unset', () => {
    assert.equal(cloudFromSettings({}), azurePublicCloud);
    assert.equal(cloudFromSettings({ environment: '' }).authProviderId, 'microsoft');
  });

  it('maps USGovernment and ChinaCloud to their endpoints and the sovereign-cloud provider', () => {
    const gov = cloudFromSettings({ environment: 'USGovernment' });
    assert.equal(gov, azureUsGovernment);
    assert.equal(gov.authProviderId, 'microsoft-sovereign-cloud');
    assert.equal(gov.managedHsmScope, 'https://managedhsm.usgovcloudapi.net/.default');
    assert.equal(gov.graphScope, 'https://graph.microsoft.us/.default');
    const china = cloudFromSettings({ environment: 'ChinaCloud' });
    assert.equal(china, azureChinaCloud);
    assert.equal(china.managedHsmDnsSuffix, 'managedhsm.azure.cn');
    assert.equal(china.armEndpoint, 'https://management.chinacloudapi.cn');
  });

  it('builds a custom cloud from customEnvironment plus Graph and Managed HSM from its extra properties', () => {
    const cloud = cloudFromSettings({
      environment: 'custom',
      customEnvironment: { ...privateCloud, microsoftGraphResourceId: 'https://graph.contoso-stack.example/', managedHsmDnsSuffix: '.managedhsm.contoso-stack.example' },
    });
    assert.equal(cloud.name, 'custom');
    assert.equal(cloud.displayName, 'ContosoStack');
    assert.equal(cloud.authProviderId, 'microsoft-sovereign-cloud');
    assert.equal(cloud.authorityHost, 'https://login.contoso-stack.example');
    assert.equal(cloud.armEndpoint, 'https://management.contoso-stack.example');
    assert.equal(cloud.armScope, 'https://management.core.contoso-stack.example/.default');
    assert.equal(cloud.graphEndpoint, 'https://graph.contoso-stack.example');
    assert.equal(cloud.graphScope, 'https://graph.contoso-stack.example/.default');
    assert.equal(cloud.managedHsmDnsSuffix, 'managedhsm.contoso-stack.example');
    assert.equal(cloud.managedHsmScope, 'https://managedhsm.contoso-stack.example/.default');
    assert.equal(cloud.portalUrl, 'https://portal.contoso-stack.example');
    // MSAL's instance discovery does not know a private authority.
    assert.equal(cloud.disableInstanceDiscovery, true);
    assert.equal(cloud.disableChallengeResourceVerification, false);
  });

  it('derives the Managed HSM suffix from keyVaultDnsSuffix and lets our own settings override', () => {
    const derived = cloudFromSettings({
      environment: 'custom',
      customEnvironment: { ...privateCloud, keyVaultDnsSuffix: '.vault.contoso-stack.example' },
      overrides: { graphEndpoint: 'https://graph.contoso-stack.example' },
    });
    assert.equal(derived.managedHsmResource, 'https://managedhsm.contoso-stack.example');
    assert.equal(derived.graphEndpoint, 'https://graph.contoso-stack.example');
    const overridden = cloudFromSettings({
      environment: 'custom',
      customEnvironment: { ...privateCloud, microsoftGraphResourceId: 'https://graph.a.example', managedHsmDnsSuffix: 'managedhsm.a.example' },
      overrides: { managedHsmDnsSuffix: 'managedhsm.b.example' },
    });
    assert.equal(overridden.managedHsmDnsSuffix, 'managedhsm.b.example');
  });

  it('fills a custom copy of a national cloud from that cloud', () => {
    const cloud = cloudFromSettings({
      environment: 'custom',
      customEnvironment: {
        name: 'Gov',
        portalUrl: 'https://portal.azure.us/',
        activeDirectoryEndpointUrl: 'https://login.microsoftonline.us/',
        activeDirectoryResourceId: 'https://management.usgovcloudapi.net/',
        resourceManagerEndpointUrl: 'https://management.usgovcloudapi.net/',
        managementEndpointUrl: 'https://management.usgovcloudapi.net/',
      },
    });
    assert.equal(cloud.graphEndpoint, 'https://graph.microsoft.us');
    assert.equal(cloud.managedHsmDnsSuffix, 'managedhsm.usgovcloudapi.net');
    assert.equal(cloud.armScope, 'https://management.usgovcloudapi.net/.default');
    assert.equal(cloud.disableInstanceDiscovery, false);
  });

  it('says what is missing when a custom cloud is incomplete', () => {
    assert.throws(() => cloudFromSettings({ environment: 'custom' }), invalidInput(/customEnvironment is not set/));
    const { activeDirectoryResourceId: _a, portalUrl: _p, ...partial } = privateCloud;
    assert.throws(() => cloudFromSettings({ environment: 'custom', customEnvironment: partial }), invalidInput(/lacks portalUrl, activeDirectoryResourceId/));
    assert.throws(() => cloudFromSettings({ environment: 'custom', customEnvironment: privateCloud }), invalidInput(/microsoftGraphResourceId .* and managedHsmDnsSuffix/));
  });

  it('refuses URLs that are not https and unknown environment names', () => {
    assert.throws(
      () => cloudFromSettings({ environment: 'custom', customEnvironment: { ...privateCloud, activeDirectoryEndpointUrl: 'http://login.contoso-stack.example/' } }),
      invalidInput(/non-https URL in activeDirectoryEndpointUrl/),
    );
    assert.throws(
      () => cloudFromSettings({ environment: 'custom', customEnvironment: { ...privateCloud, resourceManagerEndpointUrl: 'not a url' } }),
      invalidInput(/invalid URL in resourceManagerEndpointUrl/),
    );
    assert.throws(() => cloudFromSettings({ environment: 'GermanCloud' }), invalidInput(/unknown value "GermanCloud"/));
  });
});
