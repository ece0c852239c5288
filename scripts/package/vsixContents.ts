// What a .vsix of this extension may hold (DESIGN.md §2): the production bundles, media, the
// manifest with its translations, README, CHANGELOG, LICENSE — and vsce's own two files. Anything
// else (tests, sources, source maps, sandbox state, node_modules) is a packaging mistake.

/** Paths inside the .vsix that are allowed, each with why it is there. */
const allowed: { pattern: RegExp; why: string }[] = [
  { pattern: /^\[Content_Types\]\.xml$/, why: 'vsce: the OPC content types' },
  { pattern: /^extension\.vsixmanifest$/, why: 'vsce: the gallery manifest' },
  { pattern: /^extension\/package\.json$/, why: 'the extension manifest' },
  { pattern: /^extension\/package\.nls(\.[a-z-]+)?\.json$/i, why: 'manifest translations' },
  { pattern: /^extension\/l10n\/bundle\.l10n(\.[a-z-]+)?\.json$/i, why: 'runtime string translations' },
  { pattern: /^extension\/(readme|changelog)\.md$/i, why: 'shown on the extension page' },
  { pattern: /^extension\/LICENSE(\.txt)?$/i, why: 'the licence' },
  { pattern: /^extension\/media\/([\w.-]+\/)*[\w.-]+\.(svg|png)$/, why: 'icons and walkthrough images' },
  { pattern: /^extension\/media\/([\w.-]+\/)*[\w.-]+\.md$/, why: 'walkthrough step texts' },
  { pattern: /^extension\/dist\/(extension|azure-sdk)\.js$/, why: 'the extension host bundles' },
  { pattern: /^extension\/dist\/webview\/[\w-]+\.(js|css)$/, why: 'the webview bundles' },
];

/** Checked first, so the message names the kind of mistake even where the allow-list would catch it too. */
const forbidden: { pattern: RegExp; what: string }[] = [
  { pattern: /\.map$/, what: 'a source map' },
  { pattern: /(^|\/)node_modules\//, what: 'node_modules content (the bundles are self-contained)' },
  { pattern: /(^|\/)(test|tests|out|bench)\//, what: 'tests or their build output' },
  { pattern: /(^|\/)(sandbox|sandbox-signin|\.sandbox[^/]*)\//, what: 'the sandbox or its state' },
  { pattern: /(^|\/)(src|webview-ui|scripts)\//, what: 'sources' },
  { pattern: /\.tsx?$/, what: 'TypeScript source' },
  { pattern: /(^|\/)\.vscode-(test|e2e)\//, what: 'the test harness' },
];

export interface ContentProblem {
  path: string;
  problem: string;
}

/** Every entry that does not belong in the .vsix, with the reason; empty when the listing is clean. */
export function vsixContentProblems(paths: readonly string[]): ContentProblem[] {
  const problems: ContentProblem[] = [];
  for (const path of paths) {
    const bad = forbidden.find((f) => f.pattern.test(path));
    if (bad) problems.push({ path, problem: `is ${bad.what}` });
    else if (!allowed.some((a) => a.pattern.test(path))) problems.push({ path, problem: 'is not on the allow-list' });
  }
  return problems;
}

/** Files the extension loads at run time; a .vsix without one of them would install and then fail. */
export const requiredEntries = [
  'extension/package.json',
  'extension/dist/extension.js',
  'extension/dist/azure-sdk.js',
  'extension/dist/webview/keyManagementForm.js',
  'extension/dist/webview/keyManagementForm.css',
  'extension/media/hsm-dark.svg',
  'extension/media/icon.png',
];
