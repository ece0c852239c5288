import * as vscode from 'vscode';
import type { ManagedHsmInfo } from '../../azure/managedHsms';
import { ActionableError } from '../../core/actionableError';
import { parseKeyIdentifier } from '../../core/keyIdentifier';
import type { Finding, FixId } from '../../core/readiness/finding';
import { expiryThresholdsFromSettings } from '../../expiry/expiryThresholdSettings';
import { runReadinessCheck, type ReadinessCheckInput, type ReadinessCheckResult } from '../../readiness/readinessCheck';
import type { SecretServerSession } from '../../secretServer/session';
import type { SecretServerConnection } from '../../views/secretServer/connectionStore';
import { secretServerRegionForCheck } from '../secretServerRegion';
import { chooseAppRegistration } from './appRegistrationPicker';
import { hostRules, secretServerUsages } from './guardRail';
import { withSetupProgress } from './progress';
import { applyFix, fixableIds } from './readinessFixes';
import { saveReportAs, showReport, type ReadinessReportDocuments } from './readinessReportDocuments';
import { graphFor, interactiveCredential, type SetupDeps } from './setupDeps';
import { isVersionNode, resolveKey, type KeyTarget } from './setupTargets';
import { pickOne } from './wizard';

// "Check Secret Server readiness": the rules of src/core/readiness over facts gathered for a key,
// the app Secret Server signs in as (the one a connected Secret Server names, or one the user
// picks) and that Secret Server. The report opens as a read-only Markdown document; the fixes the
// extension can apply are offered next to it, and the check runs again after each.

export interface ReadinessCommandResult {
  verdict: string;
  findings: Pick<Finding, 'id' | 'status' | 'reason' | 'fix'>[];
  markdown: string;
  appliedFixes: FixId[];
  savedTo?: string;
}

export interface CheckContext {
  target: KeyTarget;
  keyId: string;
  app?: { clientId: string; displayName: string };
  session?: SecretServerSession;
  /** A secret typed for this check only (never stored unless the user keeps it elsewhere). */
  typedSecret?: string;
  /** The Secret Server's Azure region as its connection states it, for the HSM region rule. */
  secretServerRegion?: string;
}

export async function checkReadinessCommand(deps: SetupDeps, documents: ReadinessReportDocuments, node?: unknown): Promise<ReadinessCommandResult> {
  const target = await resolveKey(deps, node, vscode.l10n.t('Check Secret Server readiness'));
  const isVersion = isVersionNode(node);
  const ctx: CheckContext = { target, keyId: isVersion ? target.key.id : target.key.versionlessId };
  const connection = await chooseAppAndServer(deps, ctx);
  ctx.secretServerRegion = await secretServerRegionForCheck(deps.explorer, connection, async (items) => {
    const answer = await deps.ui().pick(items.map((i) => ({ ...i, value: i.region })), { title: vscode.l10n.t('Check Secret Server readiness: Secret Server'), placeHolder: vscode.l10n.t('Which Secret Server\'s region should the HSM match?') });
    return answer && 'value' in answer ? answer.value : undefined;
  });

  const name = `readiness-${target.hsm.name}-${target.key.name}`;
  let result = await check(deps, ctx);
  const uri = documents.set(name, result.markdown);
  await showReport(uri);
  const applied: FixId[] = [];
  let savedTo: string | undefined;
  for (;;) {
    const offered = offeredFixes(result.findings);
    const items = [
      ...offered.map((f) => ({ value: f.fix!.id as FixId | 'save' | 'done', label: `$(wrench) ${f.fix!.label}`, description: `${f.status}: ${f.title}`, detail: f.reason })),
      { value: 'save' as const, label: vscode.l10n.t('$(save) Save as Markdown…') },
      { value: 'done' as const, label: '$(check) Done' },
    ];
    const answer = await deps.ui().pick(items, { title: vscode.l10n.t('Readiness of \'{0}\': {1}', target.key.name, describeVerdict(result.report.verdict)), placeHolder: offered.length ? vscode.l10n.t('Apply a fix (the check runs again), save the report, or finish') : vscode.l10n.t('Save the report, or finish') });
    const choice = answer && 'value' in answer ? answer.value : 'done';
    if (choice === 'done') break;
    if (choice === 'save') {
      const where = await deps.ui().saveLocation(vscode.l10n.t('Save readiness report'), `${name}.md`);
      if (where) {
        await saveReportAs(result.markdown, where);
        savedTo = where.toString();
      }
      continue;
    }
    await applyFix(deps, ctx, choice, result);
    applied.push(choice);
    result = await check(deps, ctx);
    documents.set(name, result.markdown);
  }
  return {
    verdict: result.report.verdict,
    findings: result.findings.map((f) => ({ id: f.id, status: f.status, reason: f.reason, ...(f.fix ? { fix: f.fix } : {}) })),
    markdown: result.markdown,
    appliedFixes: applied,
    savedTo,
  };
}

function offeredFixes(findings: readonly Finding[]): Finding[] {
  const seen = new Set<FixId>();
  return findings.filter((f) => {
    if (!f.fix || f.status === 'pass' || !fixableIds.has(f.fix.id) || seen.has(f.fix.id)) return false;
    seen.add(f.fix.id);
    return true;
  });
}

function describeVerdict(verdict: string): string {
  return verdict === 'ready' ? 'ready' : verdict === 'readyWithWarnings' ? vscode.l10n.t('ready, with warnings') : verdict === 'incomplete' ? vscode.l10n.t('not fully checked') : vscode.l10n.t('not ready');
}

/**
 * The app and Secret Server of the check: the connected Secret Server that uses this key, else the
 * user's choice. Returns the connection of the Secret Server found using the key, if any.
 */
async function chooseAppAndServer(deps: SetupDeps, ctx: CheckContext): Promise<SecretServerConnection | undefined> {
  const { target } = ctx;
  const usages = await withSetupProgress(vscode.l10n.t('Looking for a Secret Server that uses the key'), (step) => secretServerUsages(deps, step));
  const rules = hostRules(deps);
  for (const u of usages) {
    if ('error' in u || !u.settings?.keyUrl) continue;
    const parsed = parseKeyIdentifier(u.settings.keyUrl, rules);
    if (!parsed.ok || parsed.value.name.toLowerCase() !== target.key.name.toLowerCase() || parsed.value.origin.toLowerCase() !== new URL(target.hsm.hsmUri).origin.toLowerCase()) continue;
    const connection = deps.explorer.connections.list().find((c) => c.url === u.server);
    if (connection) ctx.session = await deps.explorer.sessions.session(connection);
    if (u.settings.principalId) {
      ctx.app = { clientId: u.settings.principalId, displayName: `the app Secret Server signs in as` };
      return connection;
    }
  }
  const stored = deps.stored.list().filter((e) => e.tenantId.toLowerCase() === target.hsm.tenantId.toLowerCase());
  const clientIds = [...new Set(stored.map((e) => e.clientId))];
  const choice = await pickOne(
    deps.ui(),
    [
      ...clientIds.map((id) => ({ value: id, label: `App ${id}`, description: vscode.l10n.t('client secret kept in VS Code: the live wrap/unwrap test can run') })),
      { value: 'choose', label: vscode.l10n.t('$(search) Choose an app registration…'), description: vscode.l10n.t('the app Secret Server will sign in as') },
      { value: 'none', label: vscode.l10n.t('Check the key and HSM only') },
    ],
    vscode.l10n.t('Check Secret Server readiness: app registration'),
    vscode.l10n.t('Which app registration will Secret Server sign in as?'),
  );
  if (choice === 'none') return undefined;
  if (choice === 'choose') {
    const graph = await graphFor(deps, target.hsm.tenantId);
    const app = await chooseAppRegistration(deps, graph, target.hsm.tenantId, undefined, vscode.l10n.t('Check Secret Server readiness: app registration'));
    ctx.app = { clientId: app.appId, displayName: app.displayName };
    return undefined;
  }
  ctx.app = { clientId: choice, displayName: `app ${choice}` };
  return undefined;
}

export async function check(deps: SetupDeps, ctx: CheckContext): Promise<ReadinessCheckResult> {
  const { target } = ctx;
  const services = deps.explorer.services;
  const storedEntry = ctx.app ? deps.stored.newestFor(target.hsm.tenantId, ctx.app.clientId) : undefined;
  return withSetupProgress(vscode.l10n.t('Checking the readiness of \'{0}\'', target.key.name), (step) => {
    const input: ReadinessCheckInput = {
      cloud: services.cloud(),
      credential: interactiveCredential(deps, target.hsm.tenantId),
      tenantId: target.hsm.tenantId,
      keyId: ctx.keyId,
      hsm: locator(target.hsm),
      app: ctx.app
        ? {
            appId: ctx.app.clientId,
            secretKeyId: ctx.typedSecret ? undefined : storedEntry?.keyId,
            getSecret: ctx.typedSecret ? async () => ctx.typedSecret : storedEntry ? async () => (await deps.stored.get(storedEntry)) ?? undefined : undefined,
          }
        : undefined,
      secretServer: ctx.session ? { session: ctx.session } : undefined,
      secretServerRegion: ctx.secretServerRegion,
      abortSignal: step.signal,
      now: () => services.now(),
      thresholds: expiryThresholdsFromSettings(),
    };
    return runReadinessCheck(input).catch((err: unknown) => {
      if (err instanceof ActionableError && err.kind === 'cancelled') throw new vscode.CancellationError();
      throw err;
    });
  });
}

function locator(hsm: ManagedHsmInfo): { subscriptionId: string; resourceGroup: string; name: string } | undefined {
  return hsm.subscriptionId && hsm.resourceGroup ? { subscriptionId: hsm.subscriptionId, resourceGroup: hsm.resourceGroup, name: hsm.name } : undefined;
}
