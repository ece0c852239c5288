// Services sometimes echo what they were sent. Anything that may reach a log, a notification or
// a test artefact goes through here first.

const bearer = /(bearer\s+)[A-Za-z0-9\-._~+/]+=*/gi;
const jwt = /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\b/g;
const formSecret = /((?:client_secret|password|refresh_token|access_token|secretText|principalSecret|azureManagedHsmPrincipalSecret)["']?\s*[=:]\s*["']?)([^"'&\s,}]+)/gi;

/** Replaces known secret values and anything shaped like a token or secret field with '***'. */
export function maskSecrets(text: string, knownSecrets: Iterable<string> = []): string {
  let out = text;
  for (const secret of knownSecrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join('***');
  }
  return out.replace(bearer, '$1***').replace(jwt, '***').replace(formSecret, '$1***');
}
