import {
  createEnvelope,
  DEFAULT_MAX_MESSAGE_BYTES,
  toWireMessage,
  type CreateEnvelopeOptions,
  type Envelope,
} from '@mq/core';
import type { EntityManager } from 'typeorm';
import { defaultNotifyChannel } from '../schema/notify-channel.js';
import { outboxTables } from '../schema/outbox-tables.js';
import type {
  OutboxEntry,
  OutboxServiceOptions,
} from './outbox-service.options.js';

/** Columns written by `add`; the rest have defaults. */
const COLUMNS =
  '"message_id", "type", "key", "headers", "payload", "occurred_at"';
const PARAMS_PER_ROW = 6;
/** Stays far below PostgreSQL's 65535 bind parameters per statement. */
const ROWS_PER_INSERT = 1000;
/** Default of `maxKeyBytes`: far more than an id, within every index. */
const DEFAULT_MAX_KEY_BYTES = 1024;

interface EncodedRow {
  readonly envelope: Envelope;
  readonly payloadText: string;
}

/**
 * Writes messages into the outbox inside the caller's transaction. The row
 * commits or rolls back with the business change; the relay publishes it
 * after the commit. There is no other path from a write to the broker.
 */
export class OutboxService {
  private readonly channel?: string;
  private readonly maxMessageBytes: number;
  private readonly maxKeyBytes: number;

  constructor(options: OutboxServiceOptions = {}) {
    this.channel = options.channel;
    this.maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    this.maxKeyBytes = options.maxKeyBytes ?? DEFAULT_MAX_KEY_BYTES;
    for (const [name, value] of [
      ['maxMessageBytes', this.maxMessageBytes],
      ['maxKeyBytes', this.maxKeyBytes],
    ] as const) {
      if (!Number.isInteger(value) || value < 1) {
        throw new TypeError(
          `OutboxService: ${name} must be a positive integer, ` +
            `got ${String(value)}`,
        );
      }
    }
  }

  /**
   * Adds one message through `manager`, which must be in a transaction
   * (`dataSource.transaction(manager => ...)`). Inside a message handler the
   * envelope inherits the handled message's correlation id and takes its id
   * as causation id. Throws CodecError, MessageTooLargeError or (a key over
   * `maxKeyBytes`) a RangeError before writing anything, so the caller's
   * transaction fails before its commit.
   */
  async add<T>(
    manager: EntityManager,
    type: string,
    payload: T,
    options: CreateEnvelopeOptions,
  ): Promise<Envelope<T>> {
    const [envelope] = await this.addMany(manager, [
      { type, payload, ...options },
    ]);
    return envelope as Envelope<T>;
  }

  /**
   * Adds several messages in one statement per thousand rows, in the order
   * given (which becomes their publish order). All are checked before any
   * is written.
   */
  async addMany(
    manager: EntityManager,
    entries: readonly OutboxEntry[],
  ): Promise<Envelope[]> {
    assertTransaction(manager);
    const rows = entries.map((entry) => this.encode(entry));
    if (rows.length === 0) {
      return [];
    }
    const tables = outboxTables(manager.connection);
    for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
      await insertRows(
        manager,
        tables.outbox,
        rows.slice(start, start + ROWS_PER_INSERT),
      );
    }
    // Delivered at commit, dropped on rollback; one per transaction, since
    // PostgreSQL folds equal notifications of one transaction together.
    await manager.query('SELECT pg_notify($1, $2)', [
      this.channel ?? defaultNotifyChannel(tables.schema),
      '',
    ]);
    return rows.map((row) => row.envelope);
  }

  private encode(entry: OutboxEntry): EncodedRow {
    const keyBytes = Buffer.byteLength(entry.key ?? '');
    if (keyBytes > this.maxKeyBytes) {
      throw new RangeError(
        `OutboxService: ${entry.type} has a key of ${keyBytes} bytes, ` +
          `over the limit of ${this.maxKeyBytes} bytes`,
      );
    }
    const envelope = createEnvelope(entry.type, entry.payload, {
      key: entry.key,
      headers: entry.headers,
      id: entry.id,
      occurredAt: entry.occurredAt,
    });
    const wire = toWireMessage(envelope, this.maxMessageBytes);
    return { envelope, payloadText: wire.body.toString('utf8') };
  }
}

function assertTransaction(manager: EntityManager): void {
  if (!manager.queryRunner?.isTransactionActive) {
    throw new TypeError(
      'OutboxService: pass the EntityManager of a running transaction ' +
        '(dataSource.transaction(manager => ...)), so the message commits ' +
        'with the change it announces',
    );
  }
}

async function insertRows(
  manager: EntityManager,
  table: string,
  rows: readonly EncodedRow[],
): Promise<void> {
  const values: string[] = [];
  const params: unknown[] = [];
  for (const { envelope, payloadText } of rows) {
    const first = params.length + 1;
    const placeholders = Array.from(
      { length: PARAMS_PER_ROW },
      (_, index) => `$${first + index}`,
    );
    values.push(`(${placeholders.join(', ')})`);
    params.push(
      envelope.id,
      envelope.type,
      envelope.key,
      JSON.stringify(envelope.headers),
      payloadText,
      envelope.occurredAt,
    );
  }
  await manager.query(
    `INSERT INTO ${table} (${COLUMNS}) VALUES ${values.join(', ')}`,
    params,
  );
}
