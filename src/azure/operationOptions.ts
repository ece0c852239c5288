/** What every call into Azure accepts: cancellation from a progress notification or a closed view. */
export interface OperationOptions {
  abortSignal?: AbortSignal;
}
