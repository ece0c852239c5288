import type { BrowserContext, FrameLocator, Page } from 'playwright-core';

// A webview's own document as a person sees it: VS Code puts it in two nested iframes, the host
// frame (`iframe.webview`, VS Code's index.html) and the content frame (`#active-frame`) that
// holds the extension's HTML.

/** The content frame of the webview whose editor tab is active. */
export function webviewContent(page: Page): FrameLocator {
  return page.frameLocator('iframe.webview.ready').first().frameLocator('#active-frame');
}

/** A Content-Security-Policy violation seen in the browser (console text or DOM event). */
export interface CspViolation {
  source: 'console' | 'event';
  text: string;
}

const violationMarker = '[e2e:securitypolicyviolation]';

/**
 * Collects CSP violations from every frame of the context: Chromium's own console reports
 * ("Refused to …  because it violates the following Content Security Policy directive") and
 * `securitypolicyviolation` DOM events, which an init script turns into marked console lines.
 * Call before the page loads; read `violations` at any time.
 */
export async function watchCspViolations(context: BrowserContext, page: Page): Promise<{ violations: CspViolation[] }> {
  const result = { violations: [] as CspViolation[] };
  await context.addInitScript((marker: string) => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`${marker} ${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} in ${e.documentURI.slice(0, 120)}`);
    });
  }, violationMarker);
  page.on('console', (message) => {
    const text = `${message.text()} (at ${message.location().url || 'unknown'})`;
    if (text.includes(violationMarker)) result.violations.push({ source: 'event', text });
    else if (/Content Security Policy/i.test(text) && /Refused|violat/i.test(text)) result.violations.push({ source: 'console', text });
  });
  return result;
}

/**
 * Makes the webview's content frame break its own CSP once, on purpose (an image from a host
 * `img-src` does not allow; nothing is fetched, the browser refuses it first), so a test can show
 * that its watcher sees that frame before it trusts the watcher's "no violations". Returns the
 * refused URL, which the violation's text names.
 */
export async function provokeCspViolation(frame: FrameLocator): Promise<string> {
  const url = `https://csp-canary.invalid/${Date.now()}.png`;
  await frame.locator('body').evaluate((body, src) => {
    const img = document.createElement('img');
    img.src = src;
    img.hidden = true;
    body.append(img);
  }, url);
  return url;
}

/** The violations other than the one `provokeCspViolation` made, once the watcher has seen that one. */
export async function violationsBesides(csp: { violations: CspViolation[] }, canaryUrl: string, timeoutMs = 10_000): Promise<CspViolation[]> {
  const deadline = Date.now() + timeoutMs;
  while (!csp.violations.some((v) => v.text.includes(canaryUrl))) {
    if (Date.now() > deadline) throw new Error(`The CSP watcher did not see the deliberate violation in the webview frame (${canaryUrl}) within ${timeoutMs / 1000} s, so its "no violations" would prove nothing.`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return csp.violations.filter((v) => !v.text.includes(canaryUrl));
}
