import { ActionableError, type ErrorKind } from '../core/actionableError';

// A renewal step failed. Besides what failed, the user must learn what state things are in now
// ("a new secret exists and is not used yet; the old one still works"), because the next safe
// action depends on it.

export class RenewalError<Step extends string = string> extends ActionableError {
  constructor(
    readonly step: Step,
    /** What failed, one sentence. */
    failure: string,
    /** Where things stand now and what to do, one or two sentences. */
    readonly situation: string,
    kind: ErrorKind,
    detail?: string,
  ) {
    super(`${failure} ${situation}`, kind, detail ?? `${failure} ${situation}`);
    this.name = 'RenewalError';
  }
}

export function causeOf(err: unknown): { message: string; kind: ErrorKind; detail?: string } {
  if (err instanceof ActionableError) return { message: err.message, kind: err.kind, detail: err.detail };
  return { message: err instanceof Error ? err.message : String(err), kind: 'unexpected' };
}
