import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ProfileEntry } from '../model/bench-result.types.js';
import { REPOSITORY_ROOT } from '../runner/paths.js';

/** The parts of a V8 `.cpuprofile` (from `node --cpu-prof`) used here. */
interface CpuProfile {
  readonly nodes: readonly {
    readonly id: number;
    readonly callFrame: {
      readonly functionName: string;
      readonly url: string;
      readonly lineNumber: number;
    };
    readonly children?: readonly number[];
  }[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface CpuProfileSummary {
  /** Sampled time without idle, in ms. */
  readonly sampledMs: number;
  readonly functions: readonly ProfileEntry[];
  readonly areas: readonly ProfileEntry[];
}

/**
 * Self time per function and per area (an npm package, a folder of this
 * repository, Node's internals, the garbage collector), from the samples
 * of a CPU profile. Idle time is left out: the shares are of the time
 * the process was busy.
 */
export function summarizeCpuProfile(file: string, top = 12): CpuProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const frames = new Map(
    profile.nodes.map((node) => [node.id, node.callFrame]),
  );
  const excluded = inspectorSubtrees(profile);
  const byFunction = new Map<string, number>();
  const byArea = new Map<string, number>();
  let busyUs = 0;
  profile.samples.forEach((nodeId, index) => {
    const frame = frames.get(nodeId);
    const us = profile.timeDeltas[index] ?? 0;
    if (
      !frame ||
      frame.functionName === '(idle)' ||
      us <= 0 ||
      excluded.has(nodeId)
    ) {
      return;
    }
    busyUs += us;
    const name =
      `${frame.functionName || '(anonymous)'} ${location(frame.url, frame.lineNumber)}`.trim();
    byFunction.set(name, (byFunction.get(name) ?? 0) + us);
    const area = areaOf(frame.url, frame.functionName);
    byArea.set(area, (byArea.get(area) ?? 0) + us);
  });
  const entries = (map: Map<string, number>, count: number) =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, count)
      .map(([name, us]) => ({
        name,
        selfMs: us / 1000,
        share: busyUs > 0 ? us / busyUs : 0,
      }));
  return {
    sampledMs: busyUs / 1000,
    functions: entries(byFunction, top),
    areas: entries(byArea, top),
  };
}

/**
 * Nodes under a call into `node:inspector`: switching the profiler on
 * and off is sampled too, and is not the workload's time.
 */
function inspectorSubtrees(profile: CpuProfile): Set<number> {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const excluded = new Set<number>();
  const mark = (id: number) => {
    excluded.add(id);
    for (const child of byId.get(id)?.children ?? []) {
      mark(child);
    }
  };
  for (const node of profile.nodes) {
    if (node.callFrame.url === 'node:inspector' && !excluded.has(node.id)) {
      mark(node.id);
    }
  }
  return excluded;
}

function location(url: string, line: number): string {
  const path = relativePath(url);
  return path ? `${path}:${line + 1}` : '';
}

function relativePath(url: string): string {
  if (!url) {
    return '';
  }
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  const modules = path.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    return path.slice(modules + '/node_modules/'.length);
  }
  return path.startsWith(REPOSITORY_ROOT)
    ? path.slice(REPOSITORY_ROOT.length + 1)
    : path;
}

/** `pg`, `@nestjs/core`, `libs/postgres`, `node internals`, `(gc)` ... */
function areaOf(url: string, functionName: string): string {
  if (!url) {
    return functionName.startsWith('(') ? functionName : '(native)';
  }
  if (url.startsWith('node:')) {
    return 'node internals';
  }
  const path = relativePath(url);
  if (path !== url && !path.startsWith('/')) {
    const [first, second] = path.split('/');
    if (url.includes('/node_modules/')) {
      return first.startsWith('@') ? `${first}/${second}` : first;
    }
    return first === 'libs' || first === 'apps' ? `${first}/${second}` : first;
  }
  return path;
}
