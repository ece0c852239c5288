import { performance } from 'node:perf_hooks';

// Opt-in timing of activate()'s parts, for the activation benchmark (bench/realVsCode.ts): set
// MHSM_ACTIVATION_PROFILE=1 in the extension host's environment and activate() logs one line
// with each part's share. Off by default, and then mark() does nothing at all.

export const activationProfileEnv = 'MHSM_ACTIVATION_PROFILE';

export interface ActivationProfile {
  /** Ends the part that began at the previous mark (or at start) and names it. */
  mark(part: string): void;
  /**
   * `part 1.23 ms, part 0.40 ms, …; N registrations; C ms CPU` (the extension host's CPU time, all
   * its threads, since the profile began); undefined when profiling is off.
   */
  summary(registrations: number): string | undefined;
}

const off: ActivationProfile = { mark: () => undefined, summary: () => undefined };

export function activationProfile(enabled: boolean, started: number): ActivationProfile {
  if (!enabled) return off;
  // Read only when profiling: the first process.cpuUsage() call is not free.
  const cpuAtStart = process.cpuUsage();
  const parts: [string, number][] = [];
  let last = started;
  return {
    mark(part) {
      const now = performance.now();
      parts.push([part, now - last]);
      last = now;
    },
    summary: (registrations) => {
      const cpu = process.cpuUsage(cpuAtStart);
      const cpuMs = ((cpu.user + cpu.system) / 1000).toFixed(1);
      return `${parts.map(([part, ms]) => `${part} ${ms.toFixed(2)} ms`).join(', ')}; ${registrations} registrations; ${cpuMs} ms CPU.`;
    },
  };
}
