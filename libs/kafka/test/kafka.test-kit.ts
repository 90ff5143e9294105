import {
  KafkaClient,
  KafkaDeadLetterStore,
  KafkaServer,
  KafkaTopicNames,
  nestLogCreator,
  type KafkaConnectionOptions,
} from '@mq/kafka';
import type { ReliableServer } from '@mq/core';
import type {
  KitClientOptions,
  KitServerOptions,
  TransportTestKit,
} from '@mq/testing';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  Kafka,
  logLevel,
  Partitioners,
  type Admin,
  type DeleteGroupsResult,
  type Producer,
} from 'kafkajs';
import { SocketTracker } from './support/socket-tracker.js';

/** Brokers of the test run: KAFKA_BROKERS, comma separated. */
export function testBrokers(): string[] {
  return (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(',');
}

/**
 * Consumer timings for tests: group joins and failovers in seconds. 6000 is
 * the broker's minimum session timeout.
 */
export const TEST_CONSUMER_TIMINGS = {
  sessionTimeout: 6_000,
  rebalanceTimeout: 10_000,
  heartbeatInterval: 500,
  maxWaitTimeInMs: 200,
  clientRetry: { initialRetryTime: 200, maxRetryTime: 2_000, retries: 8 },
} as const;

/**
 * The Kafka transport's test kit. The namespace is the prefix of every
 * topic and group id (`<namespace>.`), so kits never see each other's data.
 *
 * `dropServerConnections` cannot ask the broker to kill a client (Kafka has
 * no such admin call); it destroys the server's sockets from the client
 * side through the tracking `socketFactory` each kit server gets, which
 * kafkajs sees as dropped connections.
 */
export class KafkaTestKit implements TransportTestKit {
  readonly name = 'kafka';
  readonly features = { orderingByKey: true, requestReply: false };
  private readonly connection: KafkaConnectionOptions;
  private readonly trackers = new WeakMap<ReliableServer, SocketTracker>();
  private readonly stores: KafkaDeadLetterStore[] = [];
  private readonly kafka: Kafka;
  private rawProducer?: Promise<Producer>;

  constructor(readonly namespace: string) {
    this.connection = {
      brokers: testBrokers(),
      prefix: `${namespace}.`,
      clientId: namespace,
    };
    this.kafka = new Kafka({
      brokers: this.connection.brokers,
      clientId: `${namespace}-kit`,
      logLevel: logLevel.WARN,
      logCreator: nestLogCreator(),
    });
  }

  /** Fails when the broker cannot be reached. */
  async setup(): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      await admin.listTopics();
    } finally {
      await admin.disconnect();
    }
  }

  /** Deletes the namespace's topics and consumer groups. */
  async teardown(): Promise<void> {
    await Promise.all(this.stores.map((store) => store.close()));
    this.stores.length = 0;
    const producer = await this.rawProducer;
    this.rawProducer = undefined;
    await producer?.disconnect();
    const names = new KafkaTopicNames(this.connection.prefix as string);
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const topics = (await admin.listTopics()).filter((t) => names.owns(t));
      if (topics.length > 0) {
        await admin.deleteTopics({ topics });
      }
      const { groups } = await admin.listGroups();
      const groupIds = groups
        .map((group) => group.groupId)
        .filter((id) => names.owns(id));
      await deleteGroups(admin, groupIds);
    } finally {
      await admin.disconnect();
    }
  }

  createServer(options: KitServerOptions): KafkaServer {
    const tracker = new SocketTracker();
    const server = new KafkaServer({
      ...TEST_CONSUMER_TIMINGS,
      ...options,
      ...this.connection,
      socketFactory: tracker.factory,
    });
    this.trackers.set(server, tracker);
    return server;
  }

  createClient(options: KitClientOptions = {}): KafkaClient {
    return new KafkaClient({ ...this.connection, ...options });
  }

  deadLetters(consumerGroup: string): KafkaDeadLetterStore {
    const store = new KafkaDeadLetterStore({
      ...this.connection,
      consumerGroup,
      readTimeoutMs: 20_000,
    });
    this.stores.push(store);
    return store;
  }

  async publishRaw(
    type: string,
    headers: Record<string, string>,
    body: Buffer,
  ): Promise<void> {
    const topic = new KafkaTopicNames(this.connection.prefix as string).main(
      type,
    );
    const producer = await this.producer();
    await this.ensureTopic(topic);
    await producer.send({
      topic,
      acks: -1,
      messages: [{ key: headers['mq-key'] ?? null, value: body, headers }],
    });
  }

  async dropServerConnections(server: ReliableServer): Promise<void> {
    const tracker = this.trackers.get(server);
    if (!tracker) {
      throw new Error('dropServerConnections: server was not made by this kit');
    }
    tracker.destroyAll();
    await Promise.resolve();
  }

  private producer(): Promise<Producer> {
    this.rawProducer ??= (async () => {
      const producer = this.kafka.producer({
        allowAutoTopicCreation: false,
        createPartitioner: Partitioners.DefaultPartitioner,
      });
      await producer.connect();
      return producer;
    })();
    return this.rawProducer;
  }

  private async ensureTopic(topic: string): Promise<void> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      if (!(await admin.listTopics()).includes(topic)) {
        await admin.createTopics({
          topics: [{ topic, numPartitions: 3 }],
          waitForLeaders: true,
        });
      }
    } finally {
      await admin.disconnect();
    }
  }
}

/**
 * Deletes groups, skipping ones already gone. A group whose member was
 * killed stays non-empty until its session times out; after a short wait
 * it is left to expire on its own (its topics are gone already).
 */
async function deleteGroups(admin: Admin, groupIds: string[]): Promise<void> {
  let remaining = groupIds;
  for (let round = 0; remaining.length > 0; round += 1) {
    try {
      await admin.deleteGroups(remaining);
      return;
    } catch (error) {
      const results = (error as { groups?: DeleteGroupsResult[] }).groups;
      if (!results) {
        throw error;
      }
      remaining = results
        .filter((result) => result.error?.type !== 'GROUP_ID_NOT_FOUND')
        .map((result) => result.groupId);
      if (round >= 4) {
        console.warn(
          `kafka kit: groups left to expire: ${remaining.join(', ')}`,
        );
        return;
      }
      await sleep(500);
    }
  }
}

export function createTestKit(namespace: string): TransportTestKit {
  return new KafkaTestKit(namespace);
}
