/**
 * User settings for a clean, offline workbench: no welcome page, no chat side bar, no trust
 * prompt, no gallery or telemetry calls (shared/reference/vscode-e2e.md).
 */
export const quietWorkbenchSettings: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'chat.disableAIFeatures': true,
  'git.enabled': false,
};

/**
 * Points both extensions at the sandbox: the product reads `mhsm.sandbox.endpointsFile` (its
 * sandbox *data* settings: endpoints and CA), the sign-in extension reads
 * `sandboxSignin.endpointsFile`. Sign-in itself has no sandbox branch in the product.
 */
export function sandboxSettings(endpointsFile: string): Record<string, unknown> {
  return {
    'mhsm.sandbox.endpointsFile': endpointsFile,
    'sandboxSignin.endpointsFile': endpointsFile,
  };
}
