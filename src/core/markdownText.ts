// Untrusted text — names users and services chose, messages servers sent — shown where VS Code
// interprets markup: Markdown (hovers, the readiness report) and notification messages, which
// turn `[label](command:…)` into a link that runs the command when clicked. These make such text
// read as the characters it is, never as markup.

const maxInline = 1000;

/** Invisible direction overrides and isolates: they make the rest of a line read backwards. */
const bidiControls = /[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text for Markdown, inline: one line (a newline could start a block of its own), no invisible
 * direction overrides, Markdown punctuation escaped and HTML's three specials as entities, so no
 * link or image (`[` `]` `!`), HTML element, code span or theme icon (`$(…)`) can start inside it.
 * Text never starts a line here, so line-start markers (#, -, 1.) need no escape.
 */
export function escapeMarkdown(value: string): string {
  const oneLine = value
    // eslint-disable-next-line no-control-regex -- control characters are exactly what must go
    .replace(/[\u0000-\u001f\u007f\u0085\u2028\u2029]+/g, ' ')
    .replace(bidiControls, '')
    .trim();
  const short = oneLine.length > maxInline ? `${oneLine.slice(0, maxInline - 1)}…` : oneLine;
  return short
    .replace(/[\\`*_[\]|~$!]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/**
 * Text for a notification message (showErrorMessage and friends), which VS Code renders as plain
 * text except for `[label](https:|command:|file:…)` links. Breaking the `](` pair keeps every
 * character visible while no link can form; direction overrides go, as in Markdown.
 */
export function plainMessageText(value: string): string {
  return value.replace(bidiControls, '').replace(/\]\s*\(/g, '] (');
}
