import {
  OutboxService,
  type OutboxRelay,
  type OutboxRelayOptions,
} from '@mq/outbox';
import {
  createOutboxDatabase,
  type OutboxDatabase,
} from './support/outbox-database.js';
import { RecordingPublisher } from './support/recording.publisher.js';
import { RelayHarness } from './support/relay-harness.js';
import { waitFor } from '@mq/testing';

describe('OutboxRelay with several instances', () => {
  let db: OutboxDatabase;
  let relays: RelayHarness;
  const outbox = new OutboxService();

  beforeAll(async () => {
    db = await createOutboxDatabase('outbox_failover');
    relays = new RelayHarness(db.dataSource);
  });

  afterEach(async () => {
    await relays.stopAll();
    await db.reset();
  });

  afterAll(async () => {
    await db.close();
  });

  async function addCommitted(count: number, key: string): Promise<string[]> {
    const envelopes = await db.dataSource.transaction((manager) =>
      outbox.addMany(
        manager,
        Array.from({ length: count }, (_, n) => ({
          type: 'item.changed',
          payload: { n },
          key,
        })),
      ),
    );
    return envelopes.map((envelope) => envelope.id);
  }

  async function allMarked(): Promise<boolean> {
    const rows = await db.outboxRows();
    return rows.every((row) => row.published_at !== null);
  }

  /** Starts one relay, waits until it is active, then a standby. */
  async function startPair(
    activeOptions: OutboxRelayOptions = {},
  ): Promise<
    [OutboxRelay, OutboxRelay, RecordingPublisher, RecordingPublisher]
  > {
    const activePublisher = new RecordingPublisher();
    const standbyPublisher = new RecordingPublisher();
    const active = relays.start(activePublisher, activeOptions);
    await relays.untilState(active, 'active');
    const standby = relays.start(standbyPublisher);
    await relays.untilState(standby, 'standby');
    return [active, standby, activePublisher, standbyPublisher];
  }

  it('publishes through one instance only, and the other takes over on stop', async () => {
    const [active, standby, activePublisher, standbyPublisher] =
      await startPair();
    expect(standby.health()).toEqual({
      status: 'up',
      detail: 'standby: another instance holds the relay lock',
    });

    const before = await addCommitted(20, 'x');
    await waitFor('the first rows marked', allMarked);
    expect(activePublisher.ids()).toEqual(before);
    expect(standbyPublisher.published).toEqual([]);

    await active.stop();
    const after = await addCommitted(20, 'x');
    await relays.untilState(standby, 'active');
    await waitFor('the later rows marked', allMarked);

    expect(activePublisher.ids()).toEqual(before);
    expect(standbyPublisher.ids()).toEqual(after);
  });

  it('takes over when the holder dies, and the holder rejoins as standby', async () => {
    // The killed relay reconnects later than the standby retries the lock,
    // so the takeover is certain rather than a race.
    const [active, standby, activePublisher, standbyPublisher] =
      await startPair({ backoff: { initialDelayMs: 500, maxDelayMs: 500 } });
    const before = await addCommitted(5, 'y');
    await waitFor('the first rows marked', allMarked);

    await relays.killConnection(active);
    await relays.untilState(standby, 'active');
    await relays.untilState(active, 'standby');
    const after = await addCommitted(5, 'y');
    await waitFor('the later rows marked', allMarked);

    expect(activePublisher.ids()).toEqual(before);
    expect(standbyPublisher.ids()).toEqual(after);
  });
});
