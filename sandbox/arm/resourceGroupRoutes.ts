import { HttpError, json, jsonObject, type SandboxRequest } from '../http/exchange';
import type { Router } from '../http/router';
import type { SandboxContext } from '../context';
import type { Principal } from '../entra/bearer';
import { addressedSubscription, requireArmAction } from './subscriptionAccess';
import { normaliseLocation, resourceGroupRegions } from './azureRegions';
import { resourceGroupJson } from './subscriptionShapes';

// PUT /subscriptions/{sub}/resourcegroups/{rg} (Microsoft.Resources): 201 when created, 200 when
// it already exists in the same location, 409 when it exists elsewhere.

const groupWrite = 'Microsoft.Resources/subscriptions/resourceGroups/write';

/** ARM's rule: 1–90 characters of letters, digits, '_', '-', '.', '(' and ')', not ending in '.'. */
export function resourceGroupNameValid(name: string): boolean {
  return /^[-\w.()]{1,90}$/u.test(name) && !name.endsWith('.');
}

export function registerResourceGroupRoutes(r: Router, ctx: SandboxContext, begin: (req: SandboxRequest) => Principal): void {
  r.on('PUT', '/subscriptions/:sub/resourcegroups/:rg', (req) => {
    const principal = begin(req);
    const subscription = addressedSubscription(ctx, principal, req.params.sub);
    const { rg } = req.params;
    requireArmAction(ctx, principal, subscription, groupWrite, `/subscriptions/${subscription.subscriptionId}/resourcegroups/${rg}`);
    if (!resourceGroupNameValid(rg)) {
      throw new HttpError(
        400,
        'InvalidResourceGroup',
        `The provided resource group name '${rg}' has these invalid characters or form. The name can only be 1-90 letters, digits, underscores, hyphens, periods and parentheses, and cannot end in a period.`,
      );
    }
    const body = jsonObject(req, 'InvalidRequestContent');
    if (body.location === undefined || body.location === null || body.location === '') {
      throw new HttpError(400, 'LocationRequired', 'The location property is required for this definition.');
    }
    if (typeof body.location !== 'string') throw new HttpError(400, 'InvalidRequestContent', "The request content was invalid and could not be deserialized: 'location' must be a string.");
    const location = normaliseLocation(body.location);
    if (!(resourceGroupRegions as readonly string[]).includes(location)) {
      throw new HttpError(400, 'LocationNotAvailableForResourceGroup', `The provided location '${body.location}' is not available for resource group. List of available regions is '${resourceGroupRegions.join(',')}'.`);
    }
    const existing = subscription.resourceGroups.find((g) => g.name.toLowerCase() === rg.toLowerCase());
    if (existing) {
      if (existing.location !== location) {
        throw new HttpError(409, 'InvalidResourceGroupLocation', `Invalid resource group location '${body.location}'. The Resource group already exists in location '${existing.location}'.`);
      }
      return json(200, resourceGroupJson(subscription, existing));
    }
    const group = { name: rg, location };
    ctx.store.mutate((w) => w.subscriptions.find((s) => s.subscriptionId === subscription.subscriptionId)?.resourceGroups.push(group));
    return json(201, resourceGroupJson(subscription, group));
  });
}
