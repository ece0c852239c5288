import * as vscode from 'vscode';
import { addFaults, restoreTokenLifetime, shortenTokenLifetime, type FaultRuleInput } from './faultControl';

// The faults of issue #10, each as sandbox rules aimed at one service (and, for writes, at the
// request that changes something). Rules fire a bounded number of times with fixed seeds, so a
// run is deterministic and a retrying client gets through.

export type Service = FaultRuleInput['service'];

export interface Target {
  service: Service;
  /** The request the fault should hit (regular expression on the path), default any. */
  path?: string;
  /** Its method, default any. */
  method?: string;
}

export interface FaultCase {
  name: string;
  arm(target: Target): Promise<void>;
  /** Undo what arm() set beyond fault rules (they are cleared after every case). */
  disarm?(): Promise<void>;
}

const on = (t: Target) => ({ service: t.service, path: t.path ?? '.*', method: t.method ?? '*' });

export const faultCases: FaultCase[] = [
  // 500 ms on the first four matching calls (not all: the matrix must stay within minutes).
  { name: '500 ms latency', arm: (t) => addFaults([{ ...on(t), kind: 'latency', latencyMs: 500, times: 4 }]) },
  { name: '429 with Retry-After', arm: (t) => addFaults([{ ...on(t), kind: 'throttle', retryAfterSeconds: 1, times: 1 }]) },
  { name: 'intermittent 503', arm: (t) => addFaults([{ ...on(t), kind: 'unavailable', retryAfterSeconds: 0, probability: 0.5, seed: 7, times: 2 }]) },
  // The server does the work, sends the status and half the body, then cuts the connection.
  { name: 'connection dropped mid-response', arm: (t) => addFaults([{ ...on(t), kind: 'truncate', times: 1 }]) },
  {
    // Tokens live 2 s from now on, and the target request is held 2.5 s before the service reads
    // it, so its token has expired by then: the client must get a new one (or fail clearly).
    name: 'token expires during the operation',
    arm: async (t) => {
      await shortenTokenLifetime(2);
      // VS Code's session cache would otherwise hand out the hour-long token it already holds.
      await vscode.commands.executeCommand('sandboxSignin.forgetTokens');
      await addFaults([{ ...on(t), kind: 'latency', latencyMs: 2500, times: 1 }]);
    },
    disarm: restoreTokenLifetime,
  },
];
