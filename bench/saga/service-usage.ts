import { readdirSync, readFileSync } from 'node:fs';
import type { ProcessUsage } from '../model/results.types.js';

/** Linux's clock tick for /proc times; 100 on every common kernel. */
const CLOCK_TICKS_PER_SECOND = 100;

/**
 * CPU time and peak RSS of this process's children whose command line
 * contains `marker` (a service's bundle path), read from /proc while
 * they run. Empty where /proc does not exist (not Linux).
 */
export function childUsage(marker: string): ProcessUsage | undefined {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    // No /proc: not Linux, so no per-service figures.
    return undefined;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) {
      continue;
    }
    const usage = usageOf(entry, marker);
    if (usage) {
      return usage;
    }
  }
  return undefined;
}

function usageOf(pid: string, marker: string): ProcessUsage | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may
    // itself contain spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(fields[1]) !== process.pid) {
      return undefined;
    }
    const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    if (!command.includes(marker)) {
      return undefined;
    }
    const ticks = Number(fields[11]) + Number(fields[12]);
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const peakKb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
    return {
      cpuMs: (ticks * 1000) / CLOCK_TICKS_PER_SECOND,
      maxRssMb: peakKb / 1024,
    };
  } catch {
    // The process ended between the listing and the read: not ours now.
    return undefined;
  }
}
