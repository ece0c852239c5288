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
export async function watchCspViolations(context: BrowserContext, page: Page): Promise<{ violations: CspViolation[]; consoleLines: number }> {
  const result = { violations: [] as CspViolation[], consoleLines: 0 };
  await context.addInitScript((marker: string) => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`${marker} ${e.violatedDirective} blocked ${e.blockedURI || '(inline)'} in ${e.documentURI.slice(0, 120)}`);
    });
  }, violationMarker);
  page.on('console', (message) => {
    result.consoleLines++;
    const text = `${message.text()} (at ${message.location().url || 'unknown'})`;
    if (text.includes(violationMarker)) result.violations.push({ source: 'event', text });
    else if (/Content Security Policy/i.test(text) && /Refused|violat/i.test(text)) result.violations.push({ source: 'console', text });
  });
  return result;
}
