import { cpus, loadavg, release, totalmem, type } from 'node:os';
import type { MachineInfo } from '../model/bench-result.types.js';

/** The machine, with the load average now; `loadEnd` is filled later. */
export function describeMachine(): MachineInfo {
  const processors = cpus();
  return {
    cpuModel: processors[0]?.model.trim() ?? 'unknown',
    cpus: processors.length,
    memoryGb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${type()} ${release()}`,
    node: process.version,
    loadStart: roundedLoad(),
    loadEnd: [],
  };
}

export function roundedLoad(): number[] {
  return loadavg().map((value) => Math.round(value * 100) / 100);
}
