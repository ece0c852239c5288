import { accessRules } from './accessRules';
import { clientSecretRules } from './clientSecretRules';
import type { ReadinessFacts } from './facts';
import { defaultExpiryThresholds, type ExpiryThresholds, type Finding } from './finding';
import { hsmRules } from './hsmRules';
import { keyRules } from './keyRules';
import { secretServerRules } from './secretServerRules';

// Every readiness rule over one set of facts, in the order the report shows them. Pure: the same
// facts, time and thresholds always give the same findings.

export function evaluateReadiness(facts: ReadinessFacts, now: Date, thresholds: ExpiryThresholds = defaultExpiryThresholds): Finding[] {
  return [
    ...keyRules(facts, now, thresholds),
    ...hsmRules(facts),
    ...accessRules(facts, now),
    ...clientSecretRules(facts, now, thresholds),
    ...secretServerRules(facts),
  ];
}
