import { randomUUID } from 'node:crypto';
import {
  Kafka,
  logLevel,
  Partitioners,
  type Consumer,
  type Producer,
} from 'kafkajs';
import type { BenchPayload, WorkloadSpec } from '../../model/workload.types.js';
import { decodePayload, encodePayload } from '../../workload/bench-payload.js';
import type { BenchConsumer, BenchPublisher } from '../adapter.types.js';
import { BENCH_PARTITIONS, createTopic, waitForJoin } from './kafka-topics.js';

/**
 * kafkajs used directly, with the guarantees this project's transport
 * has: an idempotent producer with acks=all, and a consumer whose
 * offsets are committed (kafkajs's auto-commit) only for messages whose
 * handler returned. One partition per concurrent handler.
 */
export function createPublisher(spec: WorkloadSpec): BenchPublisher {
  const kafka = kafkaOf(spec, 'raw-pub');
  let producer: Producer | undefined;
  return {
    async connect() {
      producer = kafka.producer({
        idempotent: true,
        maxInFlightRequests: 1,
        allowAutoTopicCreation: false,
        createPartitioner: Partitioners.DefaultPartitioner,
      });
      await producer.connect();
    },
    async publish(key: string, payload: BenchPayload) {
      await (producer as Producer).send({
        topic: topicOf(spec),
        acks: -1,
        messages: [
          {
            key,
            value: encodePayload(payload),
            headers: { 'mq-id': randomUUID() },
          },
        ],
      });
    },
    async close() {
      await producer?.disconnect();
    },
  };
}

export function createConsumer(spec: WorkloadSpec): BenchConsumer {
  const kafka = kafkaOf(spec, 'raw-con');
  let consumer: Consumer | undefined;
  return {
    prepare: () => createTopic(kafka, topicOf(spec)),
    async start(handle) {
      consumer = kafka.consumer({ groupId: `${spec.namespace}.raw` });
      const joined = waitForJoin(consumer);
      await consumer.connect();
      await consumer.subscribe({ topic: topicOf(spec), fromBeginning: true });
      await consumer.run({
        partitionsConsumedConcurrently: BENCH_PARTITIONS,
        eachMessage: async ({ message }) => {
          handle(decodePayload(message.value ?? Buffer.alloc(0)));
        },
      });
      await joined;
    },
    async stop() {
      await consumer?.disconnect();
      consumer = undefined;
    },
  };
}

function topicOf(spec: WorkloadSpec): string {
  return `${spec.namespace}.raw`;
}

function kafkaOf(spec: WorkloadSpec, role: string): Kafka {
  return new Kafka({
    clientId: `${spec.namespace}-${role}`,
    brokers: [...spec.endpoints.kafkaBrokers],
    logLevel: logLevel.WARN,
  });
}
