// The one error shape the user sees: a sentence that says what failed, why, and what to do, with
// everything else kept for the output channel. Every client layer turns its failures into this.

export type ErrorKind =
  | 'cancelled'
  | 'authentication'
  | 'consentRequired'
  | 'accessDenied'
  | 'forbidden'
  | 'notFound'
  | 'conflict'
  | 'notActivated'
  | 'throttled'
  | 'invalidInput'
  | 'unavailable'
  | 'unexpected';

export class ActionableError extends Error {
  constructor(
    /** One sentence for the user: what failed, why, what to do. Never contains a secret. */
    message: string,
    readonly kind: ErrorKind,
    /** Full technical detail for the output channel (already masked). */
    readonly detail: string = message,
    /** A machine-readable code from the service (AADSTS7000215, AccessDenied, KeyNotFound…). */
    readonly code?: string,
    readonly statusCode?: number,
  ) {
    super(message);
    this.name = 'ActionableError';
  }
}
