import { performance } from 'node:perf_hooks';
import type { TokenCredential } from '@azure/core-auth';
import { sandboxCloud } from '../src/azure/cloud';
import { ManagedHsmKeys } from '../src/azure/keys';
import type { ManagedHsmInfo } from '../src/azure/managedHsms';
import { AzureTreeModel, keysPageSize, type AzureLoaders } from '../src/views/azure/azureTreeModel';
import { adminCredential, keyClient } from '../test/support/azureClients';
import { startSandboxProcess } from '../test/support/sandboxProcess';
import { latencies, setLatency } from './sandboxLatency';
import { ratio, spread, type BudgetLine, type Spread } from './stats';

// Tree listing of an HSM with 5,000 keys × 3 versions: the explorer's own model (the code behind
// the Keys node and "Load more…", over src/azure) against @azure/keyvault-keys' KeyClient listing
// the same keys directly, alternating A/B in one process against one sandbox.

const keyCount = Number(process.env.BENCH_KEYS ?? 5000);
const runs = Number(process.env.BENCH_LISTING_RUNS ?? 3);

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

async function extensionSide(keys: ManagedHsmKeys, hsm: ManagedHsmInfo): Promise<SideTimes> {
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
  const fullListMs = performance.now() - t0;
  // The detail reads go on after the list is complete; waited for here so that they neither run
  // into the next measurement nor go unreported.
  await model.keyDetailsRead(hsm);
  const allDetailsMs = performance.now() - t0;
  if (listing.rows.some((r) => !r.details?.ok)) throw new Error('a key\'s details could not be read');
  return { firstPageMs, fullListMs, allDetailsMs, keys: listing.rows.length };
}

async function baselineSide(hsmUri: string, credential: TokenCredential, caPem: string): Promise<SideTimes> {
  const client = keyClient(hsmUri, credential, caPem);
  const t0 = performance.now();
  let firstPageMs = 0;
  let count = 0;
  for await (const page of client.listPropertiesOfKeys().byPage({ maxPageSize: keysPageSize })) {
    if (count === 0) firstPageMs = performance.now() - t0;
    count += page.length;
  }
  return { firstPageMs, fullListMs: performance.now() - t0, keys: count };
}

export interface TreeListingResult {
  keys: number;
  versionsPerKey: number;
  runs: number;
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
    const result: TreeListingResult = { keys: 0, versionsPerKey: 3, runs, byLatency: [], budgets: [] };
    for (const latencyMs of latencies) {
      await setLatency(sandbox, latencyMs);
      const ext: SideTimes[] = [];
      const base: SideTimes[] = [];
      await baselineSide(hsm.hsmUri, credential, sandbox.caPem); // warm-up, not counted
      for (let i = 0; i < runs; i++) {
        // Alternate which side goes first so neither always meets a warmer sandbox.
        const order = i % 2 === 0 ? ['ext', 'base'] : ['base', 'ext'];
        for (const side of order) {
          if (side === 'ext') ext.push(await extensionSide(new ManagedHsmKeys(cloud, credential, hsm.hsmUri, { displayName: hsm.name }), hsm));
          else base.push(await baselineSide(hsm.hsmUri, credential, sandbox.caPem));
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
