// Services sometimes echo what they were sent. Anything that may reach a log, a notification or
// a test artefact goes through here first.

const bearer = /(bearer\s+)[A-Za-z0-9\-._~+/]+=*/gi;
const jwt = /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\b/g;
const formSecret = /((?:client_secret|password|refresh_token|access_token|secretText|principalSecret|azureManagedHsmPrincipalSecret)["']?\s*[=:]\s*["']?)([^"'&\s,}]+)/gi;

/**
 * The ways a service may quote a value back: as sent, inside a JSON string (Newtonsoft escapes
 * only `"` and `\`, System.Text.Json also `&'+<>` and every non-ASCII character as \uXXXX, some
 * serializers `/` as `\/`), or URL/form-encoded. A raw response body logged as detail carries the
 * escaped form, so masking only the plain value would let a secret with a quote through.
 */
export function secretSpellings(secret: string): string[] {
  const json = JSON.stringify(secret).slice(1, -1);
  const strict = (upper: boolean) =>
    [...secret]
      .map((c) => {
        if (c === '\\') return '\\\\';
        // eslint-disable-next-line no-control-regex -- control characters are escaped in JSON
        if (!/[\u0000-\u001f"&'+<>`]/.test(c) && c.charCodeAt(0) <= 0x7e) return c;
        // Astral characters become their two UTF-16 halves, each escaped.
        return c
          .split('')
          .map((unit) => {
            const h = unit.charCodeAt(0).toString(16).padStart(4, '0');
            return `\\u${upper ? h.toUpperCase() : h}`;
          })
          .join('');
      })
      .join('');
  const variants = [secret, json, json.replace(/\//g, '\\/'), strict(true), strict(false), encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2)];
  // Longest first, so a spelling that contains another is replaced whole.
  return [...new Set(variants)].sort((a, b) => b.length - a.length);
}

/** Replaces known secret values and anything shaped like a token or secret field with '***'. */
export function maskSecrets(text: string, knownSecrets: Iterable<string> = []): string {
  let out = text;
  for (const secret of knownSecrets) {
    if (!secret || secret.length < 4) continue;
    for (const spelling of secretSpellings(secret)) out = out.split(spelling).join('***');
  }
  return out.replace(bearer, '$1***').replace(jwt, '***').replace(formSecret, '$1***');
}
