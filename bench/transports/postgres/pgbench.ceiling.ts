import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { runTimedCommand } from '../../ceilings/timed-command.js';
import type {
  CeilingFigures,
  CeilingResult,
} from '../../model/results.types.js';
import type { CeilingContext } from '../adapter.types.js';
import { findTool } from '../../ceilings/find-tool.js';

/** Connections pgbench opens: node-postgres's default pool size. */
const CLIENTS = 10;

/**
 * PostgreSQL's ceiling for what a publisher does: one committed INSERT of
 * a message-sized row per transaction, from as many connections as the
 * transport's pool has. pgbench runs a custom script against a table like
 * the raw queue's, in a schema of its own that is dropped afterwards.
 */
export async function pgbenchCeiling(
  context: CeilingContext,
): Promise<CeilingResult> {
  const tool = `pgbench -c ${CLIENTS} -j 2, one INSERT per transaction`;
  const binary = findTool('pgbench');
  if (!binary) {
    return notMeasured(tool, 'pgbench is not installed');
  }
  const schema = `${context.namespace}_ceiling`;
  const admin = new pg.Client({
    connectionString: context.endpoints.databaseUrl,
  });
  await admin.connect();
  const dir = mkdtempSync(join(tmpdir(), 'bench-pgbench-'));
  try {
    await admin.query(`CREATE SCHEMA "${schema}"`);
    await admin.query(
      `CREATE TABLE "${schema}".queue (
         id bigserial PRIMARY KEY, key text NOT NULL, body bytea NOT NULL,
         created_at timestamptz NOT NULL DEFAULT now())`,
    );
    const sizes: CeilingFigures[] = [];
    for (const size of context.sizes) {
      const script = join(dir, `insert-${size}.sql`);
      writeFileSync(
        script,
        `INSERT INTO "${schema}".queue (key, body) ` +
          `VALUES ('key', convert_to(repeat('x', ${size}), 'UTF8'));\n`,
      );
      const perClient = Math.max(1, Math.ceil(context.count / CLIENTS));
      const outcome = await runTimedCommand(
        binary,
        [
          '-n',
          '-f',
          script,
          '-c',
          String(CLIENTS),
          '-j',
          '2',
          '-t',
          String(perClient),
          context.endpoints.databaseUrl,
        ],
        { timeoutMs: 120_000 },
      );
      const tps = /tps = ([\d.]+)/.exec(outcome.stdout)?.[1];
      if (outcome.exitCode !== 0 || !tps) {
        throw new Error(
          `pgbench failed (exit ${outcome.exitCode}): ` +
            outcome.stderr.trim().split('\n').slice(-2).join(' '),
        );
      }
      sizes.push({
        size,
        publishPerSec: Number(tps),
        usage: outcome.usage,
      });
    }
    return { transport: 'postgres', tool, sizes };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin.end();
  }
}

function notMeasured(tool: string, reason: string): CeilingResult {
  return { transport: 'postgres', tool, sizes: [], notMeasured: reason };
}
