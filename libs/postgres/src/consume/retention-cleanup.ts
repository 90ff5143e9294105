import type { Logger } from '@nestjs/common';
import type { Queryable } from '../connection/queryable.js';
import { CLEANUP_BATCH_SIZE } from '../postgres.constants.js';
import type { QueueSchema } from '../schema/queue-schema.js';

/** Batches per table and run, so one run never holds locks for long. */
const MAX_BATCHES = 10;

/** Runs deleteExpiredRows every `cleanupIntervalMs` (0: never). */
export class RetentionCleanup {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly db: Queryable,
    private readonly schema: QueueSchema,
    private readonly settings: {
      readonly retentionMs: number;
      readonly cleanupIntervalMs: number;
    },
    private readonly logger: Logger,
  ) {}

  start(): void {
    if (this.settings.cleanupIntervalMs > 0) {
      this.timer = setInterval(
        () => void this.run(),
        this.settings.cleanupIntervalMs,
      );
    }
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async run(): Promise<void> {
    try {
      const deleted = await deleteExpiredRows(
        this.db,
        this.schema,
        this.settings.retentionMs,
      );
      if (deleted > 0) {
        this.logger.debug(`retention cleanup deleted ${deleted} row(s)`);
      }
    } catch (error) {
      this.logger.warn(`retention cleanup failed: ${String(error)}`);
    }
  }
}

/**
 * Deletes done deliveries older than the retention, then messages that
 * no delivery refers to any more (all done and deleted, or published to a
 * type nobody subscribed to). Dead deliveries stay until purged or
 * redriven. Several servers may run it at once: SKIP LOCKED lets them
 * share the work instead of waiting on each other.
 */
export async function deleteExpiredRows(
  db: Queryable,
  schema: QueueSchema,
  retentionMs: number,
): Promise<number> {
  let deleted = 0;
  deleted += await inBatches(() =>
    db.query(
      `DELETE FROM ${schema.deliveries}
       WHERE ctid IN (
         SELECT ctid FROM ${schema.deliveries}
         WHERE status = 'done'
           AND finished_at < now() - $1 * interval '1 millisecond'
         LIMIT $2
         FOR UPDATE SKIP LOCKED
       )`,
      [retentionMs, CLEANUP_BATCH_SIZE],
    ),
  );
  deleted += await inBatches(() =>
    db.query(
      `DELETE FROM ${schema.messages}
       WHERE id IN (
         SELECT m.id FROM ${schema.messages} AS m
         WHERE m.created_at < now() - $1 * interval '1 millisecond'
           AND NOT EXISTS (
             SELECT 1 FROM ${schema.deliveries} AS d
             WHERE d.message_id = m.id
           )
         LIMIT $2
         FOR UPDATE SKIP LOCKED
       )`,
      [retentionMs, CLEANUP_BATCH_SIZE],
    ),
  );
  return deleted;
}

async function inBatches(
  run: () => Promise<{ rowCount: number | null }>,
): Promise<number> {
  let total = 0;
  for (let batch = 0; batch < MAX_BATCHES; batch += 1) {
    const count = (await run()).rowCount ?? 0;
    total += count;
    if (count < CLEANUP_BATCH_SIZE) {
      break;
    }
  }
  return total;
}
