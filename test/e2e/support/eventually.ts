/** Retries `attempt` until it resolves or `timeoutMs` passes; the last error explains a failure. */
export async function eventually<T>(attempt: () => Promise<T>, timeoutMs: number, pauseMs = 500): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (err) {
      if (Date.now() + pauseMs > deadline) throw err;
      await new Promise((r) => setTimeout(r, pauseMs));
    }
  }
}
