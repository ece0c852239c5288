import { chromium, type Browser } from 'playwright-core';
import { ensureChromium } from './install';

/**
 * Debian's Chromium driven by playwright-core (no browser download). HOME is the run's own, or
 * Chromium writes ~/.config/chromium and ~/.cache/dconf; Playwright adds --headless and a fresh
 * temporary profile, and kills the browser's process group when this process exits.
 */
export async function launchChromium(home: string): Promise<Browser> {
  return chromium.launch({
    executablePath: ensureChromium(),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
    env: { ...process.env, HOME: home },
  });
}
