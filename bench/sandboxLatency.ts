import type { SandboxHandle } from '../test/support/sandboxProcess';

// Real HSM calls are not free: the benchmarks run at 0 ms and with round-trip latency injected by
// the sandbox's fault controls on every service.

export const latencies = [0, 30] as const;

export async function setLatency(sandbox: SandboxHandle, ms: number): Promise<void> {
  await sandbox.control('DELETE', '/faults');
  if (ms > 0) {
    const res = await sandbox.control('POST', '/faults', { service: '*', kind: 'latency', latencyMs: ms });
    if (res.status >= 300) throw new Error(`could not set ${ms} ms latency: ${res.status}`);
  }
}
