import * as fs from 'node:fs';

// CPU time of another process and its descendants (the sandbox runs under a launcher), read from
// /proc: user + system ticks of each. Linux only; undefined elsewhere. Ticks are 10 ms, so the
// benchmarks read it around a whole series of runs, not one.

const msPerTick = 10; // CLK_TCK is 100 on Linux

function stat(pid: number): { ppid: number; ticks: number } | undefined {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: the fields after it start at the last ')'.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return undefined;
  }
}

export function processTreeCpuMs(rootPid: number | undefined): number | undefined {
  if (rootPid === undefined || !fs.existsSync('/proc/self/stat')) return undefined;
  const all = new Map<number, { ppid: number; ticks: number }>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const s = stat(Number(entry));
    if (s) all.set(Number(entry), s);
  }
  let ticks = 0;
  const pending = [rootPid];
  for (let pid = pending.pop(); pid !== undefined; pid = pending.pop()) {
    ticks += all.get(pid)?.ticks ?? 0;
    for (const [child, s] of all) if (s.ppid === pid) pending.push(child);
  }
  return ticks * msPerTick;
}

/** This process's CPU time (user + system) in ms. */
export function ownCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}
