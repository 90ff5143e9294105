import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

/** Sampling interval in µs: finer than V8's default 1000. */
const SAMPLING_INTERVAL_US = 200;

/**
 * V8's CPU profiler (what `node --cpu-prof` runs) switched on only around
 * one phase of the workload, so the profile shows the messages and not
 * the start-up (module loading alone outweighs a quick run). The result
 * is a `.cpuprofile` file that Chrome DevTools and speedscope open.
 */
export class WindowProfiler {
  private session?: Session;

  async start(): Promise<void> {
    const session = new Session();
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', {
      interval: SAMPLING_INTERVAL_US,
    });
    await session.post('Profiler.start');
    this.session = session;
  }

  async stop(file: string): Promise<void> {
    const session = this.session;
    if (!session) {
      throw new Error('WindowProfiler: stop() before start()');
    }
    this.session = undefined;
    const { profile } = await session.post('Profiler.stop');
    session.disconnect();
    writeFileSync(file, JSON.stringify(profile));
  }
}
