// Renders media/icon.svg to media/icon.png (256×256) in Debian's Chromium: the marketplace and
// vsce want a PNG of at least 128×128, and the SVG stays the one source to edit. The PNG is
// committed; run this again after changing the SVG:
//
//   npx tsx scripts/package/renderIcon.ts
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { launchChromium } from '../vscode/chromium';
import { repoRoot } from '../vscode/paths';

const size = 256;

async function main(): Promise<void> {
  const svg = fs.readFileSync(path.join(repoRoot, 'media', 'icon.svg'), 'utf8');
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'mhsm-icon-'));
  const browser = await launchChromium(home);
  try {
    const page = await browser.newPage({ viewport: { width: size, height: size }, deviceScaleFactor: 1 });
    await page.setContent(
      `<!doctype html><html><body style="margin:0;background:transparent">${svg.replace('<svg ', `<svg style="display:block;width:${size}px;height:${size}px" `)}</body></html>`,
    );
    const png = await page.locator('svg').screenshot({ omitBackground: true });
    fs.writeFileSync(path.join(repoRoot, 'media', 'icon.png'), png);
    console.log(`media/icon.png: ${size}×${size}, ${png.length} bytes`);
  } finally {
    await browser.close();
    fs.rmSync(home, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
