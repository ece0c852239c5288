import * as util from 'node:util';

/**
 * Lines an offline workbench always logs and nobody needs: the extension gallery, GitHub auth,
 * cancelled requests, connection details.
 */
const noise = [
  /open-vsx\.org/i,
  /ENOTFOUND/,
  /authentication provider 'github'/i,
  /^Canceled$/,
  /connection[- ]token/i,
  /vsda/i,
  /\[(?:Extension Host|ExtHost)\] ?$/,
  /^Creating a socket/,
  /^Creation of workbench contribution/,
  /^\[reconnection-grace-time\]/,
  /^Updating additional builtin extensions cache/,
  /^\[Service Worker\]/,
  /^\[AgentHost:/,
  /^\[AccountPolicyGate\]/,
  /^DialogService: Dialog requested during smoke test/,
];

/** Formats what the workbench passes to `window.codeAutomationLog(type, args)`; undefined = drop. */
export function automationLine(args: unknown): string | undefined {
  const text = util.format(...(Array.isArray(args) ? (args as unknown[]) : [args]));
  if (noise.some((re) => re.test(text))) return undefined;
  return text;
}
