import { OutboxRelay, type OutboxRelayOptions } from '@mq/outbox';
import { uniqueName } from '@mq/testing';
import type { DataSource } from 'typeorm';
import type { RecordingPublisher } from './recording.publisher.js';
import { waitFor } from '@mq/testing';

/** Short timings, so relay tests take milliseconds rather than seconds. */
export const FAST_RELAY: OutboxRelayOptions = {
  pollIntervalMs: 50,
  lockRetryMs: 50,
  backoff: { initialDelayMs: 20, maxDelayMs: 100 },
  shutdownTimeoutMs: 5000,
};

/** Relays started by a test, stopped after it; each has its own pg name. */
export class RelayHarness {
  private readonly relays: OutboxRelay[] = [];
  private readonly names = new Map<OutboxRelay, string>();

  constructor(private readonly dataSource: DataSource) {}

  start(
    publisher: RecordingPublisher,
    options: OutboxRelayOptions = {},
  ): OutboxRelay {
    const name = uniqueName('relay');
    const relay = new OutboxRelay(this.dataSource, publisher, {
      ...FAST_RELAY,
      ...options,
      connection: { application_name: name },
    });
    this.names.set(relay, name);
    this.relays.push(relay);
    relay.start();
    return relay;
  }

  async untilState(relay: OutboxRelay, state: string): Promise<void> {
    await waitFor(`relay state ${state}`, () => relay.stats().state === state);
  }

  /** Kills the relay's connection from the server side, like a crash. */
  async killConnection(relay: OutboxRelay): Promise<void> {
    const killed: unknown[] = await this.dataSource.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity ' +
        'WHERE application_name = $1',
      [this.names.get(relay)],
    );
    if (killed.length === 0) {
      throw new Error('the relay has no connection to kill');
    }
  }

  /** Open connections of this relay, seen from the server. */
  async connections(relay: OutboxRelay): Promise<number> {
    const rows: { count: string }[] = await this.dataSource.query(
      'SELECT count(*) FROM pg_stat_activity WHERE application_name = $1',
      [this.names.get(relay)],
    );
    return Number(rows[0].count);
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.relays.map((relay) => relay.stop()));
    this.relays.length = 0;
  }
}
