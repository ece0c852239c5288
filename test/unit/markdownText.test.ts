import * as assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { escapeMarkdown, plainMessageText } from '../../src/core/markdownText';

// markdown-it is what VS Code's Markdown preview renders with; it is here through @vscode/vsce
// (a dev dependency), untyped, so it is loaded with the one call this test needs.
type MarkdownIt = new (options: { html: boolean; linkify: boolean }) => { renderInline(src: string): string };
const MarkdownIt = createRequire(__filename)('markdown-it') as MarkdownIt;

// Hostile names and server messages, as a person or a service could choose them.
const hostile = [
  '<img src=x onerror=alert(1)>',
  '<script>alert(1)</script>',
  '[x](command:mhsm.deleteKey)',
  '[x](command:mhsm.deleteKey "title")',
  '![](https://evil.example/p.png)',
  '<https://evil.example>',
  '`code` **bold** _em_ ~~strike~~ | a | b |',
  '$(alert) $(loading~spin)',
  'admin\u202Egnp.exe',
  'p\u200Dа\u200Bypal — Cyrillic а',
  'x'.repeat(5000),
];

/** Renders like VS Code does for hovers and the Markdown preview (markdown-it, HTML off). */
function render(markdown: string): string {
  return new MarkdownIt({ html: false, linkify: false }).renderInline(markdown);
}

function decode(html: string): string {
  return html.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
}

describe('markdownText', () => {
  describe('escapeMarkdown', () => {
    for (const value of hostile) {
      it(`renders ${JSON.stringify(value.slice(0, 40))} as its own text, with no element`, () => {
        const html = render(escapeMarkdown(value));
        assert.ok(!/<(?!\/?p>)[a-z]/i.test(html), `an element was made: ${html}`);
        const shown = decode(html);
        const expected = value.replace(/[\u202a-\u202e]/g, '');
        if (expected.length <= 1000) assert.equal(shown, expected);
        else assert.ok(shown.length <= 1000 && shown.endsWith('…') && expected.startsWith(shown.slice(0, -1)));
      });
    }

    it('escapes the theme-icon and link starters VS Code hovers look for', () => {
      const out = escapeMarkdown('$(alert) [x](command:y) ![i](z)');
      assert.equal(out, '\\$(alert) \\[x\\](command:y) \\!\\[i\\](z)');
      assert.ok(!/(^|[^\\])[$[\]!]/.test(out), out);
    });

    it('keeps one line and drops direction overrides', () => {
      assert.equal(escapeMarkdown('a\n# b\r\n- c\u202E'), 'a # b - c');
    });

    it('leaves ordinary names as they are', () => {
      assert.equal(escapeMarkdown('secret-server-key.v2 (Contoso)'), 'secret-server-key.v2 (Contoso)');
    });
  });

  describe('plainMessageText', () => {
    // VS Code's notification link syntax (parseLinkedText in vs/base/common/linkedText.ts).
    const notificationLink = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/gi;

    it('lets no notification link form, keeping every other character', () => {
      for (const value of ['[x](command:mhsm.deleteKey)', 'see [docs](https://evil.example "t") now', '[a] (command:b)', '[a]\t(file:///etc/passwd)']) {
        const out = plainMessageText(value);
        assert.equal(out.match(notificationLink), null, out);
        assert.equal(out.replace(/\s/g, ''), value.replace(/\s/g, ''));
      }
    });

    it('drops direction overrides and leaves HTML, confusables and long text as text', () => {
      assert.equal(plainMessageText('app\u202Etxt.exe'), 'apptxt.exe');
      for (const value of ['<img src=x onerror=alert(1)>', 'pаypal\u200D', 'y'.repeat(5000)]) assert.equal(plainMessageText(value), value);
    });
  });
});
