import { performance } from 'node:perf_hooks';
import type { KeyClient } from '@azure/keyvault-keys';
import { sandboxCloud } from '../src/azure/cloud';
import { ManagedHsmKeys } from '../src/azure/keys';
import type { ManagedHsmInfo } from '../src/azure/managedHsms';
import { AzureTreeModel, keysPageSize, type AzureLoaders } from '../src/views/azure/azureTreeModel';
import { adminCredential, keyClient } from '../test/support/azureClients';
import { startSandboxProcess } from '../test/support/sandboxProcess';
import { latencies, setLatency } from './sandboxLatency';
import { ratio, round, spread, type BudgetLine, type Spread } from './stats';

// Tree listing of an HSM with 5,000 keys × 3 versions: the explorer's own model (the code behind
// the Keys node and "Load more…", over src/azure) against @azure/keyvault-keys' KeyClient listing
// the same keys directly, alternating A/B in one process against one sandbox. Each side keeps one
// client and has one uncounted warm-up listing. The explorer reads each key's details after
// listing it; a run waits for those reads to end (reported, not budgeted), so that they never run
// into the next measurement — until 253c3f6 they ran into the baseline's and slowed it.

const keyCount = Number(process.env.BENCH_KEYS ?? 5000);
// Runs are cheap at 0 ms and noisier there (a run is a few hundred ms); at 30 ms a run with every
// key's details takes about half a minute.
const runsAt = (latencyMs: number) => Number(process.env.BENCH_LISTING_RUNS ?? (latencyMs === 0 ? 5 : 3));

interface SideTimes {
  firstPageMs: number;
  fullListMs: number;
  /** The extension only: until every listed key's details (type, operations) were read too. */
  allDetailsMs?: number;
  keys: number;
}

function loadersFor(keys: ManagedHsmKeys): AzureLoaders {
  const unused = () => Promise.reject(new Error('not part of this benchmark'));
  return {
    signedInAccount: () => Promise.resolve('bench'),
    listTenants: unused,
    listSubscriptions: unused,
    listHsms: unused,
    // As src/views/azure/azureLoaders.ts calls them.
    listKeysPage: (_hsm, continuationToken) => keys.listKeysPage({ continuationToken, maxPageSize: keysPageSize }),
    getKey: (_hsm, name) => keys.getKey(name),
    listVersions: unused,
    listRoleAssignments: unused,
    describePrincipals: () => Promise.resolve(new Map()),
  };
}

/** Every key in a new model, as the Keys node and "Load more…" list them, timed from `t0`. */
async function listEveryKey(keys: ManagedHsmKeys, hsm: ManagedHsmInfo): Promise<{ model: AzureTreeModel; rows: number; t0: number; firstPageMs: number; fullListMs: number }> {
  const model = new AzureTreeModel(loadersFor(keys));
  const t0 = performance.now();
  const first = await model.keys(hsm);
  if (!first.ok) throw first.error;
  const firstPageMs = performance.now() - t0;
  let listing = first.value;
  while (listing.continuationToken) {
    const more = await model.loadMoreKeys(hsm);
    if (!more.ok) throw more.error;
    if (more.value.moreError) throw more.value.moreError;
    listing = more.value;
  }
  return { model, rows: listing.rows.length, t0, firstPageMs, fullListMs: performance.now() - t0 };
}

async function extensionSide(keys: ManagedHsmKeys, hsm: ManagedHsmInfo): Promise<SideTimes> {
  const { model, rows, t0, firstPageMs, fullListMs } = await listEveryKey(keys, hsm);
  // The detail reads go on after the list is complete; waited for here so that they neither run
  // into the next measurement nor go unreported.
  await model.keyDetailsRead(hsm);
  const allDetailsMs = performance.now() - t0;
  const listed = await model.keys(hsm);
  if (!listed.ok || listed.value.rows.some((r) => !r.details?.ok)) throw new Error('a key\'s details could not be read');
  return { firstPageMs, fullListMs, allDetailsMs, keys: rows };
}

async function baselineSide(client: KeyClient): Promise<SideTimes> {
  const t0 = performance.now();
  let firstPageMs = 0;
  let count = 0;
  for await (const page of client.listPropertiesOfKeys().byPage({ maxPageSize: keysPageSize })) {
    if (count === 0) firstPageMs = performance.now() - t0;
    count += page.length;
  }
  return { firstPageMs, fullListMs: performance.now() - t0, keys: count };
}

/**
 * A whole listing in a new model, as the baseline's warm-up does, then a refresh, which stops its
 * detail reads. Returns the first page's time: on the first call it includes the SDK's load.
 */
async function extensionWarmUp(keys: ManagedHsmKeys, hsm: ManagedHsmInfo): Promise<number> {
  const { model, firstPageMs } = await listEveryKey(keys, hsm);
  const readersDone = model.keyDetailsRead(hsm);
  model.invalidate();
  await readersDone;
  return round(firstPageMs);
}

export interface TreeListingResult {
  /** The first page in the first model, including the SDK's load on first use (one run). */
  coldFirstPageMs?: number;
  keys: number;
  versionsPerKey: number;
  runs: Record<string, number>;
  byLatency: { latencyMs: number; extension: { firstPage: Spread; fullList: Spread; allDetails: Spread }; baseline: { firstPage: Spread; fullList: Spread }; firstPageRatio: number; fullListRatio: number }[];
  budgets: BudgetLine[];
}

export async function benchTreeListing(log: (line: string) => void): Promise<TreeListingResult> {
  log(`tree listing: seeding ${keyCount} keys × 3 versions…`);
  const sandbox = await startSandboxProcess(['--keys', String(keyCount), '--key-versions', '3']);
  try {
    const ep = sandbox.endpoints;
    const cloud = sandboxCloud(ep, sandbox.caPem);
    const credential = adminCredential(ep, sandbox.caPem);
    const hsmEntry = ep.hsms.find((h) => h.activated)!;
    const hsm = { name: hsmEntry.name, hsmUri: hsmEntry.uri, tenantId: ep.tenantId, subscriptionId: 'bench', activated: true } as unknown as ManagedHsmInfo;
    // Tokens fetched and connections opened before timing, for both sides.
    await credential.getToken('https://managedhsm.azure.net/.default');
    const result: TreeListingResult = { keys: 0, versionsPerKey: 3, runs: Object.fromEntries(latencies.map((l) => [`${l} ms`, runsAt(l)])), byLatency: [], budgets: [] };
    for (const latencyMs of latencies) {
      await setLatency(sandbox, latencyMs);
      const ext: SideTimes[] = [];
      const base: SideTimes[] = [];
      // One client per side, kept across runs: the explorer keeps one per HSM (azureLoaders.ts)
      // and a refresh starts a new model on it; a script would keep its KeyClient.
      const keys = new ManagedHsmKeys(cloud, credential, hsm.hsmUri, { displayName: hsm.name });
      const client = keyClient(hsm.hsmUri, credential, sandbox.caPem);
      // Warm-ups, not counted: the extension's loads the SDK it imports on first use.
      const cold = await extensionWarmUp(keys, hsm);
      if (latencyMs === latencies[0]) {
        result.coldFirstPageMs = cold;
        log(`  first page after activation, loading the SDK: ${cold.toFixed(0)} ms (once, not counted)`);
      }
      await baselineSide(client);
      const runs = runsAt(latencyMs);
      for (let i = 0; i < runs; i++) {
        // Alternate which side goes first so neither always meets a warmer sandbox.
        const order = i % 2 === 0 ? ['ext', 'base'] : ['base', 'ext'];
        for (const side of order) {
          if (side === 'ext') ext.push(await extensionSide(keys, hsm));
          else base.push(await baselineSide(client));
        }
        log(`  ${latencyMs} ms latency, run ${i + 1}/${runs}: extension first ${ext.at(-1)!.firstPageMs.toFixed(0)} / full ${ext.at(-1)!.fullListMs.toFixed(0)} / details ${ext.at(-1)!.allDetailsMs!.toFixed(0)} ms; baseline first ${base.at(-1)!.firstPageMs.toFixed(0)} / full ${base.at(-1)!.fullListMs.toFixed(0)} ms`);
      }
      if (ext.some((e) => e.keys !== base[0].keys)) throw new Error(`the sides listed different numbers of keys: ${ext[0].keys} vs ${base[0].keys}`);
      result.keys = base[0].keys;
      const e = { firstPage: spread(ext.map((s) => s.firstPageMs)), fullList: spread(ext.map((s) => s.fullListMs)), allDetails: spread(ext.map((s) => s.allDetailsMs!)) };
      const b = { firstPage: spread(base.map((s) => s.firstPageMs)), fullList: spread(base.map((s) => s.fullListMs)) };
      const firstPageRatio = ratio(e.firstPage.median, b.firstPage.median);
      const fullListRatio = ratio(e.fullList.median, b.fullList.median);
      result.byLatency.push({ latencyMs, extension: e, baseline: b, firstPageRatio, fullListRatio });
      result.budgets.push(
        { benchmark: 'Tree listing: first page of keys', latencyMs, measured: `${e.firstPage.median} ms`, baseline: `${b.firstPage.median} ms`, ratio: firstPageRatio, budget: '≤ 1.1× baseline', kept: firstPageRatio <= 1.1 },
        { benchmark: `Tree listing: all ${result.keys} keys`, latencyMs, measured: `${e.fullList.median} ms (every key's details read by ${e.allDetails.median} ms)`, baseline: `${b.fullList.median} ms`, ratio: fullListRatio, budget: '≤ 1.1× baseline', kept: fullListRatio <= 1.1 },
      );
    }
    return result;
  } finally {
    await sandbox.stop();
  }
}
