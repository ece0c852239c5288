import type { Application, PasswordCredential, ServicePrincipal, Tenant, User } from '../state/world';
import { publicClientIds } from '../seed';

// The JSON Microsoft Graph v1.0 returns for applications, service principals, password credentials
// and users. Properties the sandbox does not model carry Graph's defaults for a fresh object, so
// clients that read them see the real shape.

/** The tenant that owns Microsoft's first-party applications (VS Code, Azure CLI). */
export const microsoftServicesTenantId = 'f8cdef31-a31e-4b4a-93e4-5f571e91255a';

/**
 * Microsoft's own applications are registered in Microsoft's tenant: a customer tenant holds only
 * their service principals, so they never appear under /applications.
 */
export function isFirstPartyApp(appId: string): boolean {
  return (Object.values(publicClientIds) as string[]).includes(appId.toLowerCase());
}

export function passwordCredentialJson(c: PasswordCredential, secretText: string | null = null): Record<string, unknown> {
  return {
    customKeyIdentifier: null,
    displayName: c.displayName,
    endDateTime: c.endDateTime,
    hint: c.hint,
    keyId: c.keyId,
    secretText,
    startDateTime: c.startDateTime,
  };
}

export function applicationJson(app: Application, tenant: Tenant): Record<string, unknown> {
  return {
    id: app.id,
    deletedDateTime: null,
    appId: app.appId,
    applicationTemplateId: null,
    disabledByMicrosoftStatus: null,
    createdDateTime: app.createdDateTime,
    displayName: app.displayName,
    description: app.description ?? null,
    groupMembershipClaims: null,
    identifierUris: [],
    isDeviceOnlyAuthSupported: null,
    isFallbackPublicClient: app.isPublicClient ? true : null,
    nativeAuthenticationApisEnabled: null,
    notes: app.notes ?? null,
    publisherDomain: tenant.defaultDomain,
    serviceManagementReference: null,
    signInAudience: app.signInAudience,
    tags: [],
    tokenEncryptionKeyId: null,
    uniqueName: null,
    samlMetadataUrl: null,
    defaultRedirectUri: null,
    certification: null,
    optionalClaims: null,
    servicePrincipalLockConfiguration: null,
    requestSignatureVerification: null,
    addIns: [],
    api: { acceptMappedClaims: null, knownClientApplications: [], requestedAccessTokenVersion: null, oauth2PermissionScopes: [], preAuthorizedApplications: [] },
    appRoles: [],
    info: { logoUrl: null, marketingUrl: null, privacyStatementUrl: null, supportUrl: null, termsOfServiceUrl: null },
    keyCredentials: [],
    parentalControlSettings: { countriesBlockedForMinors: [], legalAgeGroupRule: 'Allow' },
    passwordCredentials: app.passwordCredentials.map((c) => passwordCredentialJson(c)),
    publicClient: { redirectUris: [] },
    requiredResourceAccess: [],
    verifiedPublisher: { displayName: null, verifiedPublisherId: null, addedDateTime: null },
    web: {
      homePageUrl: null,
      logoutUrl: null,
      redirectUris: [],
      implicitGrantSettings: { enableAccessTokenIssuance: false, enableIdTokenIssuance: false },
      redirectUriSettings: [],
    },
    spa: { redirectUris: [] },
  };
}

/** Every property name of the application type, for $select and body checks. */
export const applicationProperties = Object.keys(
  applicationJson(
    { id: '', appId: '', tenantId: '', displayName: '', signInAudience: '', createdDateTime: '', passwordCredentials: [], owners: [] },
    { id: '', displayName: '', defaultDomain: '' },
  ),
);

export function servicePrincipalJson(sp: ServicePrincipal, app: Application | undefined, tenant: Tenant): Record<string, unknown> {
  return {
    id: sp.id,
    deletedDateTime: null,
    accountEnabled: true,
    alternativeNames: [],
    appDisplayName: app?.displayName ?? sp.displayName,
    appDescription: null,
    appId: sp.appId,
    applicationTemplateId: null,
    appOwnerOrganizationId: isFirstPartyApp(sp.appId) ? microsoftServicesTenantId : tenant.id,
    appRoleAssignmentRequired: false,
    description: null,
    disabledByMicrosoftStatus: null,
    displayName: sp.displayName,
    homepage: null,
    loginUrl: null,
    logoutUrl: null,
    notes: null,
    notificationEmailAddresses: [],
    preferredSingleSignOnMode: null,
    preferredTokenSigningKeyThumbprint: null,
    replyUrls: [],
    servicePrincipalNames: [sp.appId],
    servicePrincipalType: sp.servicePrincipalType,
    signInAudience: app?.signInAudience ?? 'AzureADMyOrg',
    tags: [],
    tokenEncryptionKeyId: null,
    samlSingleSignOnSettings: null,
    addIns: [],
    appRoles: [],
    info: { logoUrl: null, marketingUrl: null, privacyStatementUrl: null, supportUrl: null, termsOfServiceUrl: null },
    keyCredentials: [],
    oauth2PermissionScopes: [],
    passwordCredentials: [],
    resourceSpecificApplicationPermissions: [],
    verifiedPublisher: { displayName: null, verifiedPublisherId: null, addedDateTime: null },
  };
}

export const servicePrincipalProperties = Object.keys(
  servicePrincipalJson(
    { id: '', appId: '', tenantId: '', displayName: '', servicePrincipalType: 'Application', graphAppRoles: [], createdDateTime: '' },
    undefined,
    { id: '', displayName: '', defaultDomain: '' },
  ),
);

export function userJson(user: User): Record<string, unknown> {
  return {
    businessPhones: [],
    displayName: user.displayName,
    givenName: null,
    jobTitle: null,
    mail: null,
    mobilePhone: null,
    officeLocation: null,
    preferredLanguage: null,
    surname: null,
    userPrincipalName: user.userPrincipalName,
    id: user.objectId,
  };
}

export const userProperties = Object.keys(
  userJson({ objectId: '', tenantId: '', userPrincipalName: '', displayName: '', passwordHash: '', consentedScopes: {} }),
);

/** Keeps only the `$select`ed properties, in the order asked for. */
export function selectProperties(entity: Record<string, unknown>, select: string[] | undefined): Record<string, unknown> {
  if (!select) return entity;
  const out: Record<string, unknown> = {};
  for (const name of select) out[name] = entity[name];
  return out;
}
