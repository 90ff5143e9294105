import { randomUUID } from 'node:crypto';
import type {
  AmqpConnectionManager,
  ChannelWrapper,
} from 'amqp-connection-manager';
import type { Channel, ConsumeMessage } from 'amqplib';
import type { BenchPayload, WorkloadSpec } from '../../model/workload.types.js';
import { decodePayload, encodePayload } from '../../workload/bench-payload.js';
import type { BenchConsumer, BenchPublisher } from '../adapter.types.js';
import { connectManager } from './amqp-connect.js';

const ROUTING_KEY = 'bench.event';

/**
 * amqplib through amqp-connection-manager, used directly: a durable topic
 * exchange and queue, persistent messages on a confirm channel (a publish
 * resolves on the broker's confirm), and a consumer that acks each
 * message after its handler, with the transport's default prefetch.
 */
export function createPublisher(spec: WorkloadSpec): BenchPublisher {
  const names = namesOf(spec);
  let manager: AmqpConnectionManager | undefined;
  let channel: ChannelWrapper | undefined;
  return {
    async connect() {
      manager = await connectManager(spec.endpoints.rabbitmqUrl);
      channel = manager.createChannel({
        json: false,
        confirm: true,
        setup: (ch: Channel) =>
          ch.assertExchange(names.exchange, 'topic', { durable: true }),
      });
      await channel.waitForConnect();
    },
    async publish(key: string, payload: BenchPayload) {
      await (channel as ChannelWrapper).publish(
        names.exchange,
        ROUTING_KEY,
        encodePayload(payload),
        {
          persistent: true,
          messageId: randomUUID(),
          contentType: 'application/json',
          headers: { 'mq-key': key },
        },
      );
    },
    async close() {
      await channel?.close();
      await manager?.close();
    },
  };
}

export function createConsumer(spec: WorkloadSpec): BenchConsumer {
  const names = namesOf(spec);
  const prefetch = 2 * spec.concurrency;
  let manager: AmqpConnectionManager | undefined;
  let channel: ChannelWrapper | undefined;
  const declare = async (ch: Channel) => {
    await ch.assertExchange(names.exchange, 'topic', { durable: true });
    await ch.assertQueue(names.queue, { durable: true });
    await ch.bindQueue(names.queue, names.exchange, ROUTING_KEY);
  };
  return {
    async prepare() {
      const once = await connectManager(spec.endpoints.rabbitmqUrl);
      const setup = once.createChannel({ json: false, setup: declare });
      await setup.waitForConnect();
      await setup.close();
      await once.close();
    },
    async start(handle) {
      manager = await connectManager(spec.endpoints.rabbitmqUrl);
      channel = manager.createChannel({
        json: false,
        setup: async (ch: Channel) => {
          await declare(ch);
          await ch.prefetch(prefetch);
          await ch.consume(names.queue, (message: ConsumeMessage | null) => {
            if (message) {
              handle(decodePayload(message.content));
              ch.ack(message);
            }
          });
        },
      });
      await channel.waitForConnect();
    },
    async stop() {
      await channel?.close();
      await manager?.close();
    },
  };
}

/** Names under the namespace; the broker module deletes them after. */
export function namesOf(spec: WorkloadSpec) {
  return {
    exchange: `${spec.namespace}.raw.events`,
    queue: `${spec.namespace}.raw`,
  };
}
