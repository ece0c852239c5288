// The public-cloud resource identifiers the sandbox's resource servers accept as token audiences.
// Clients ask for `<resource>/.default`; the token endpoint turns that into `aud`.

export const managedHsmResource = 'https://managedhsm.azure.net';
/** ARM accepts both names of the management resource (VS Code asks for the older one). */
export const armResources = ['https://management.azure.com/', 'https://management.core.windows.net/'] as const;
export const graphResource = 'https://graph.microsoft.com';
