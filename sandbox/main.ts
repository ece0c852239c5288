// `npm run sandbox -- [--state-dir DIR] [--port N] [--reset] [--keys N] [--secrets N] [--rotation-rate N] [--maintenance-delay MS] [--quiet]`
import { startSandbox } from './sandbox';

function parseArgs(argv: string[]): Record<string, string | boolean> {
  const out: Record<string, string | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) throw new Error(`Unexpected argument: ${arg}`);
    const [name, inline] = arg.slice(2).split('=', 2);
    if (inline !== undefined) out[name] = inline;
    else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) out[name] = argv[++i];
    else out[name] = true;
  }
  return out;
}

function intArg(value: string | boolean | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} takes a whole number`);
  return n;
}

const usage = `Usage: npm run sandbox -- [options]

Starts local HTTPS emulators of Entra ID, Azure Resource Manager, Managed HSM, Microsoft Graph and
Delinea Secret Server, and writes <state-dir>/endpoints.json once every listener is up.

  --state-dir DIR   where state, certificates and endpoints.json live (default .sandbox)
  --port N          0 = free ports, remembered for the next start (default); N = control on N,
                    Entra ID N+1, ARM N+2, Graph N+3, Secret Server N+4, HSMs from N+10
  --host ADDR       listen address (default 127.0.0.1)
  --reset           delete the state directory and seed a new world
  --keys N          extra keys seeded on the activated HSM, first start only (default 30)
  --key-versions N  versions of each extra key, first start only (default 1)
  --secrets N       secrets seeded in the Secret Server, first start only (default 300)
  --rotation-rate N Secret Server key rotation pace, secrets per second (default 10: tens of
                    seconds for the seeded set; the tests use 150)
  --maintenance-delay MS  time the Secret Server takes to enter maintenance mode before a
                    rotation starts (default 3000)
  --quiet           no request log
  --help            this text`;

function positiveArg(value: string | boolean | undefined, name: string): number | undefined {
  const n = intArg(value, name);
  if (n === 0) throw new Error(`--${name} takes a whole number above 0`);
  return n;
}

async function main(): Promise<void> {
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    console.log(usage);
    return;
  }
  const args = parseArgs(process.argv.slice(2));
  const known = new Set(['state-dir', 'port', 'reset', 'keys', 'key-versions', 'quiet', 'host', 'secrets', 'rotation-rate', 'maintenance-delay']);
  for (const k of Object.keys(args)) if (!known.has(k)) throw new Error(`Unknown option --${k}`);
  const sandbox = await startSandbox({
    stateDir: typeof args['state-dir'] === 'string' ? args['state-dir'] : '.sandbox',
    port: intArg(args.port, 'port'),
    host: typeof args.host === 'string' ? args.host : undefined,
    reset: args.reset === true,
    keys: intArg(args.keys, 'keys'),
    keyVersions: positiveArg(args['key-versions'], 'key-versions'),
    quiet: args.quiet === true,
    secrets: intArg(args.secrets, 'secrets'),
    rotationRate: positiveArg(args['rotation-rate'], 'rotation-rate'),
    maintenanceDelayMs: intArg(args['maintenance-delay'], 'maintenance-delay'),
  });
  console.log(`[sandbox] ready: ${sandbox.endpointsFile}`);
  console.log(`[sandbox] authority ${sandbox.endpoints.authorityHost}  arm ${sandbox.endpoints.armEndpoint}  graph ${sandbox.endpoints.graphEndpoint}`);
  for (const h of sandbox.endpoints.hsms) console.log(`[sandbox] hsm ${h.name} ${h.uri}${h.activated ? '' : ' (not activated)'}`);
  console.log(`[sandbox] secret server ${sandbox.endpoints.secretServer.url} (region ${sandbox.endpoints.secretServer.region})`);

  let closing = false;
  const stop = (signal: string) => {
    if (closing) return;
    closing = true;
    console.log(`[sandbox] ${signal}: shutting down`);
    sandbox.close().then(
      () => process.exit(0),
      (err) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err) => {
  console.error(`[sandbox] ${(err as Error).message}`);
  process.exit(1);
});
