import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { REPOSITORY_ROOT } from './repository-paths.js';

/** The database the services of one demo run use. */
export interface DemoDatabase {
  readonly url: string;
  /** True for a server the demo started and will throw away. */
  readonly embedded: boolean;
  /** Stops an embedded server; does nothing for DATABASE_URL. */
  stop(): Promise<void>;
}

const HELPER = join(
  REPOSITORY_ROOT,
  'scripts/demo/embedded-postgres.process.ts',
);
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;

/**
 * DATABASE_URL when it is set, otherwise a fresh embedded PostgreSQL in a
 * child process (see embedded-postgres.process.ts), logging to `logFile`.
 */
export async function openDemoDatabase(
  env: NodeJS.ProcessEnv,
  logFile: string,
): Promise<DemoDatabase> {
  const url = env.DATABASE_URL?.trim();
  if (url) {
    await assertConnects(url);
    return { url, embedded: false, stop: () => Promise.resolve() };
  }
  return startEmbedded(logFile);
}

/** Drops the schemas a run created in a database that outlives it. */
export async function dropSchemas(
  url: string,
  schemas: readonly string[],
): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const schema of schemas) {
      await client.query(
        `DROP SCHEMA IF EXISTS "${schema.replaceAll('"', '""')}" CASCADE`,
      );
    }
  } finally {
    await client.end();
  }
}

async function assertConnects(url: string): Promise<void> {
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: 5000,
  });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    throw new Error('cannot connect to DATABASE_URL', { cause: error });
  } finally {
    await client.end();
  }
}

async function startEmbedded(logFile: string): Promise<DemoDatabase> {
  const child = spawn(process.execPath, ['--import', 'tsx', HELPER, logFile], {
    cwd: REPOSITORY_ROOT,
    stdio: ['pipe', 'pipe', 'inherit'],
    // Out of the terminal's process group: Ctrl-C reaches the demo only.
    detached: true,
  });
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => resolve()),
  );
  const url = await firstUrl(child, exited);
  return {
    url,
    embedded: true,
    async stop() {
      child.stdin?.end();
      const stopped = await Promise.race([
        exited.then(() => true),
        new Promise<false>((resolve) =>
          setTimeout(() => resolve(false), STOP_TIMEOUT_MS).unref(),
        ),
      ]);
      if (!stopped) {
        child.kill('SIGKILL');
      }
    },
  };
}

function firstUrl(child: ChildProcess, exited: Promise<void>): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `embedded PostgreSQL did not start in ${START_TIMEOUT_MS} ms`,
        ),
      );
    }, START_TIMEOUT_MS);
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => {
      clearTimeout(timer);
      try {
        resolve((JSON.parse(line) as { url: string }).url);
      } catch (error) {
        reject(
          new Error(
            `unexpected output of the embedded PostgreSQL helper: ${line}`,
            { cause: error },
          ),
        );
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(
        new Error('the embedded PostgreSQL helper exited before it was ready'),
      );
    });
  });
}
