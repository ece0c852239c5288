import * as https from 'node:https';

/** The token endpoint's answer, as far as sign-in uses it. */
export interface TokenResponse {
  access_token: string;
  expires_in: number;
  refresh_token?: string;
  id_token?: string;
}

/**
 * POSTs a form to `<authorityHost>/<tenant>/oauth2/v2.0/token`, trusting only the sandbox CA
 * (an explicit agent, not the process-wide trust store). Entra errors become MSAL-style messages
 * (`invalid_grant: AADSTS50126: …`), which is what the product's error handling matches on.
 */
export function requestToken(authorityHost: string, tenant: string, form: Record<string, string>, caPem: string): Promise<TokenResponse> {
  const url = new URL(`${authorityHost.replace(/\/$/, '')}/${encodeURIComponent(tenant)}/oauth2/v2.0/token`);
  const body = Buffer.from(new URLSearchParams(form).toString());
  const agent = new https.Agent({ ca: caPem, keepAlive: false });
  return new Promise((resolve, reject) => {
    const req = https.request(
      url,
      {
        method: 'POST',
        agent,
        ca: caPem,
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(body.length) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: Record<string, unknown> = {};
          try {
            parsed = JSON.parse(text) as Record<string, unknown>;
          } catch {
            // handled below as a non-JSON answer
          }
          if (res.statusCode === 200 && typeof parsed.access_token === 'string') {
            resolve(parsed as unknown as TokenResponse);
            return;
          }
          // Only a non-JSON body is quoted: a JSON answer without access_token may still hold other tokens.
          const description =
            typeof parsed.error_description === 'string' ? parsed.error_description.split(/\r?\n/)[0] : Object.keys(parsed).length > 0 ? 'no error description' : text.slice(0, 200);
          reject(new Error(`${typeof parsed.error === 'string' ? parsed.error : `HTTP ${res.statusCode}`}: ${description}`));
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** The claims of a JWT's payload (no signature check: the sandbox just issued it over TLS). */
export function jwtClaims(jwt: string): Record<string, unknown> {
  const payload = jwt.split('.')[1] ?? '';
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
}
