import type { TokenCredential } from '@azure/core-auth';
import * as vscode from 'vscode';
import { jwtClaim } from '../auth/accessTokenExpiry';
import { listResourceGroups } from '../azure/resourceGroups';
import type { ManagedHsmInfo } from '../azure/managedHsms';
import { ActionableError } from '../core/actionableError';
import { managedHsmRegions } from '../core/managedHsmRegions';
import { managedHsmRoleIds } from '../core/managedHsmRoles';
import { cloudWithCreatedHsm } from '../azure/managedHsmProvisioning';
import { ManagedHsmRbac } from '../azure/localRbac';
import type { Explorer } from '../explorer';
import { HsmNode, SubscriptionNode } from '../views/azure/azureNodes';
import type { TreeNode } from '../views/treeNode';
import { activateManagedHsm, type ActivationOutcome, type ActivationPrompts } from './activateManagedHsm';
import { createManagedHsmCommand, type CreatePrompts } from './createManagedHsm';
import { vscodeActivationPrompts, vscodeCreatePrompts, type CreatePromptOptions } from './managedHsmPrompts';
import { pickNode } from './pickNode';
import { secretServerRegionForCreate } from './secretServerRegion';
import { registerCommand } from './runCommand';

// Create and Activate Managed HSM in the running extension: find the subscription or HSM (the node
// the command ran on, or a walk down the Azure view from the palette), gather what the flows need
// from the signed-in session, run them, then redraw the tree. Called once from registerCommands.ts.

/** Outside production, tests install scripted prompts with this command. */
export const setManagedHsmPromptsTestCommand = 'mhsm.test.setManagedHsmPrompts';

/** Every prompt and notice of the two commands, so extension-host tests can answer them. */
export interface ManagedHsmPromptSeam {
  create(options: CreatePromptOptions): CreatePrompts;
  activate(): ActivationPrompts;
  /** A non-modal notice (the outcome of a command). */
  inform(message: string): void;
  /** The connected Secret Server's region, asking when needed; a seam without it has none. */
  secretServerRegion?(): Promise<string | undefined>;
  /** After activation: may the signed-in administrator get the Crypto User role on keys? A seam without it is not asked. */
  offerKeyRole?(hsmName: string): Promise<boolean>;
}

function vscodeSeam(explorer: Explorer): ManagedHsmPromptSeam {
  return {
    secretServerRegion: () => secretServerRegionForCreate(explorer),
    offerKeyRole: async (hsmName) => {
      const assign = vscode.l10n.t('Assign Crypto User to Me');
      const answer = await vscode.window.showInformationMessage(
        vscode.l10n.t('{0} is activated. Assign yourself the Managed HSM Crypto User role on its keys?', hsmName),
        { modal: true, detail: vscode.l10n.t('As the HSM’s Administrator you manage its security domain and role assignments, but Administrator does not include creating or using keys. Crypto User (scope /keys) lets you create the key Secret Server will use.') },
        assign,
      );
      return answer === assign;
    },
    create: vscodeCreatePrompts,
    activate: vscodeActivationPrompts,
    inform: (message) => void vscode.window.showInformationMessage(message),
  };
}

export function registerManagedHsmCommands(context: vscode.ExtensionContext, explorer: Explorer): void {
  const real = vscodeSeam(explorer);
  let seam = real;
  const add = (id: string, what: string, handler: (node?: unknown) => unknown) => registerCommand(context, explorer.services.log, id, what, handler);
  add('mhsm.createManagedHsm', vscode.l10n.t('create the Managed HSM'), (node) => createFromNode(explorer, seam, node));
  add('mhsm.activateManagedHsm', vscode.l10n.t('activate the Managed HSM'), (node) => activateFromNode(explorer, seam, node));
  if (context.extensionMode !== vscode.ExtensionMode.Production) {
    context.subscriptions.push(
      vscode.commands.registerCommand(setManagedHsmPromptsTestCommand, (scripted?: ManagedHsmPromptSeam) => {
        seam = scripted ?? real;
      }),
    );
  }
}

async function createFromNode(explorer: Explorer, seam: ManagedHsmPromptSeam, node: unknown): Promise<ManagedHsmInfo | undefined> {
  const fromMenu = node instanceof SubscriptionNode;
  const target = fromMenu ? node : await pickNode(explorer.azure, vscode.l10n.t('Create Managed HSM: choose the subscription'), (n: TreeNode): n is SubscriptionNode => n instanceof SubscriptionNode);
  const { subscriptionId, tenantId } = target.subscription;
  const { services } = explorer;
  const cloud = services.cloud();
  const credential = services.credential({ tenantId, interactive: true });
  const [signedInObjectId, resourceGroups] = await Promise.all([signedInObjectIdOf(credential, cloud.armScope), listResourceGroups(cloud, credential, subscriptionId)]);
  const secretServerRegion = await seam.secretServerRegion?.();
  const created = await createManagedHsmCommand({
    cloud,
    credential,
    prompts: seam.create({ resourceGroups, regions: [...managedHsmRegions] }),
    subscriptionId,
    tenantId,
    signedInObjectId,
    // The region the user gave the Secret Server connection (its API does not report one).
    secretServerRegion,
    log: (line) => services.log.info(line),
  });
  if (!created) return undefined;
  services.log.info(`Created Managed HSM ${created.name} in ${created.location}.`);
  // A node from the palette walk is not one VS Code shows, so only the whole view can redraw.
  if (fromMenu) explorer.azure.refresh(target);
  else explorer.azure.refresh();
  seam.inform(vscode.l10n.t('Managed HSM {0} was created in {1}. Activate it (download its security domain) before creating keys.', created.name, created.location));
  return created;
}

async function activateFromNode(explorer: Explorer, seam: ManagedHsmPromptSeam, node: unknown): Promise<ActivationOutcome> {
  const target = node instanceof HsmNode ? node : await pickNode(explorer.azure, vscode.l10n.t('Activate Managed HSM: choose the HSM'), (n: TreeNode): n is HsmNode => n instanceof HsmNode);
  const { hsm } = target;
  const { services } = explorer;
  const outcome = await activateManagedHsm(
    {
      cloud: services.cloud(),
      credential: services.credential({ tenantId: hsm.tenantId, interactive: true }),
      prompts: seam.activate(),
      now: () => services.now(),
      log: (line) => services.log.info(line),
    },
    hsm,
  );
  if (outcome.status === 'alreadyActive') {
    seam.inform(vscode.l10n.t('{0} is already activated.', hsm.name));
  } else if (outcome.status === 'cancelled') {
    seam.inform(outcome.message);
  } else {
    // The HSM node holds the listing it was drawn from; its activation state comes from the
    // subscription's list, so the view is reloaded rather than only this node.
    explorer.azure.refresh();
    if (seam.offerKeyRole && (await seam.offerKeyRole(hsm.name))) await assignKeyRoleToSelf(explorer, hsm);
    seam.inform(
      vscode.l10n.t('{0} is activated; its security domain is saved in {1}. Move each private key to its custodian. The security domain does not contain your keys: schedule regular full backups of the HSM as well.', hsm.name, outcome.securityDomainFile),
    );
  }
  return outcome;
}

/** Gives the signed-in administrator Managed HSM Crypto User on /keys (a no-op when it is there). */
async function assignKeyRoleToSelf(explorer: Explorer, hsm: ManagedHsmInfo): Promise<void> {
  const { services } = explorer;
  const cloud = services.cloud();
  const credential = services.credential({ tenantId: hsm.tenantId, interactive: true });
  const principalId = await signedInObjectIdOf(credential, cloud.armScope);
  const rbac = new ManagedHsmRbac(cloudWithCreatedHsm(cloud, hsm.hsmUri), credential, hsm.hsmUri, { displayName: hsm.name });
  const { created } = await rbac.createRoleAssignment({ scope: '/keys', roleDefinitionId: managedHsmRoleIds.cryptoUser, principalId });
  services.log.info(`${hsm.name}: ${created ? 'assigned' : 'already had'} Managed HSM Crypto User on /keys for the signed-in user (${principalId}).`);
}

/** The signed-in user's object id, from the `oid` claim of an ARM token. */
async function signedInObjectIdOf(credential: TokenCredential, scope: string): Promise<string> {
  const token = await credential.getToken(scope);
  const oid = token ? jwtClaim(token.token, 'oid') : undefined;
  if (typeof oid !== 'string' || !oid) {
    throw new ActionableError(vscode.l10n.t('Cannot create the Managed HSM: the Azure sign-in did not say who you are (no object id in the token), so you cannot be made its administrator. Sign in again and retry.'), 'authentication');
  }
  return oid;
}
