import type { PipelinePolicy } from '@azure/core-rest-pipeline';
import { activityPolicy } from './activityPolicy';
import type { AzureCloud } from './cloud';
import { cutResponseRetryPolicy } from './cutResponseRetry';

// Every Azure response's `Date` header goes to the cloud's service clock (src/core/serviceClock.ts),
// so expiry is judged by the services' time. Per retry: a 401 challenge or a 429 still tells the time.
// The same two helpers add the activity log's policy (activityPolicy.ts) per call, since every
// Azure client is built through them.

const policyName = 'serviceDatePolicy';

function policyFor(cloud: AzureCloud): PipelinePolicy | undefined {
  const clock = cloud.serviceClock;
  if (!clock) return undefined;
  return {
    name: policyName,
    sendRequest: async (request, next) => {
      const response = await next(request);
      clock.observe(response.headers.get('date'));
      return response;
    },
  };
}

/**
 * For SDK clients' options (`additionalPolicies`), merged with the client's own. Every Azure client
 * gets its policies here, so reads cut mid-response are retried here too (cutResponseRetry.ts).
 */
export function serviceDateClientOptions(cloud: AzureCloud, own: { policy: PipelinePolicy; position: 'perCall' | 'perRetry' }[] = []) {
  const policy = policyFor(cloud);
  // The activity policy sits outside the cut-response retry, so a change is recorded once, with its final outcome.
  const activity = cloud.activity ? [{ policy: activityPolicy(cloud.activity), position: 'perCall' as const }] : [];
  const withRetry = [...own, ...activity, { policy: cutResponseRetryPolicy, position: 'perCall' as const }];
  return { additionalPolicies: policy ? [...withRetry, { policy, position: 'perRetry' as const }] : withRetry };
}

/** For pipelines built with createPipelineFromOptions, which take no additional policies. */
export function observeServiceDate(pipeline: { addPolicy(policy: PipelinePolicy, options?: { phase?: 'Retry' | 'Serialize' | 'Sign' | 'Deserialize' }): void }, cloud: AzureCloud): void {
  const policy = policyFor(cloud);
  // No phase: between serialisation and retries, so once per call with the final outcome.
  if (cloud.activity) pipeline.addPolicy(activityPolicy(cloud.activity));
  pipeline.addPolicy(cutResponseRetryPolicy);
  if (policy) pipeline.addPolicy(policy);
}
