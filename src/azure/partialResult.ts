import type { ActionableError } from '../core/actionableError';

/**
 * What a listing across several scopes (tenants, subscriptions) found, and where it failed: one
 * locked tenant must not hide the others.
 */
export interface PartialResult<T> {
  items: T[];
  failures: ScopeFailure[];
}

export interface ScopeFailure {
  /** The tenant or subscription id that failed. */
  scope: string;
  error: ActionableError;
}
