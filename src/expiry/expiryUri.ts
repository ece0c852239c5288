import * as vscode from 'vscode';

// Tree items that the expiry watch should decorate carry `resourceUri = expiryUri(path)`, where
// path is the item's expiry path (src/core/expiry/expiryPath.ts), e.g.
//   mhsm-expiry:/app/{appId}/secret/{keyId}
//   mhsm-expiry:/hsm/{host}/key/{name}/version/{version}
//   mhsm-expiry:/secretServer/{connectionId}
// The tree helper builds the path with the expiryPath functions and never parses it back.

export const expiryUriScheme = 'mhsm-expiry';

export function expiryUri(path: string): vscode.Uri {
  return vscode.Uri.from({ scheme: expiryUriScheme, path });
}

/** The expiry path of a decorated resource, or undefined for any other URI. */
export function expiryPathOf(uri: vscode.Uri): string | undefined {
  return uri.scheme === expiryUriScheme ? uri.path : undefined;
}
