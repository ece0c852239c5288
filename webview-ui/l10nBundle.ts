import * as l10n from '@vscode/l10n';

// The host puts VS Code's translation bundle for the display language into a <meta> element
// (none for English), so the page's strings are translated before any of them is built: a message
// from the host would arrive after the form is already on screen.
const contents = document.querySelector('meta[name="l10n-bundle"]')?.getAttribute('content');
if (contents) l10n.config({ contents });
