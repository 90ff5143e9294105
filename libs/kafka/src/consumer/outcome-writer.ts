import {
  deadLetterHeaders,
  withoutDeadLetterHeaders,
  type ProcessOutcome,
} from '@mq/core';
import type { KafkaMessage } from 'kafkajs';
import { KafkaHeaderNames } from '../kafka.constants.js';
import type { ProduceBatcher } from '../producer/produce-batcher.js';
import type { KafkaTopicNames } from '../topics/kafka-topic-names.js';
import type { TopicRoute } from './topic-route.js';

type RetryOutcome = Extract<ProcessOutcome, { kind: 'retry' }>;
type DeadLetterOutcome = Extract<ProcessOutcome, { kind: 'dead-letter' }>;

/**
 * Moves a failed message to its retry or dead-letter topic. Each write is
 * awaited with acks=all through the idempotent producer: only after it
 * resolves may the original offset be committed. Writes of messages that
 * fail at the same time share produce requests (ProduceBatcher).
 */
export class OutcomeWriter {
  constructor(
    private readonly batcher: ProduceBatcher,
    private readonly names: KafkaTopicNames,
    private readonly consumerGroup: string,
    /** Number of retry topics per main topic. */
    private readonly tiers: number,
  ) {}

  async retry(
    route: TopicRoute,
    message: KafkaMessage,
    headers: Record<string, string>,
    outcome: RetryOutcome,
  ): Promise<void> {
    const tier = Math.min(Math.max(outcome.nextAttempt - 1, 1), this.tiers);
    const dueAt = new Date(Date.now() + outcome.delayMs).toISOString();
    await this.write(
      this.names.retry(route.mainTopic, this.consumerGroup, tier),
      message,
      {
        ...withoutDue(headers),
        ...outcome.retryHeaders,
        [KafkaHeaderNames.dueAt]: dueAt,
      },
    );
  }

  async deadLetter(
    route: TopicRoute,
    message: KafkaMessage,
    headers: Record<string, string>,
    outcome: DeadLetterOutcome,
  ): Promise<void> {
    await this.write(
      this.names.deadLetter(route.mainTopic, this.consumerGroup),
      message,
      {
        ...withoutDeadLetterHeaders(withoutDue(headers)),
        ...deadLetterHeaders(outcome.metadata),
      },
    );
  }

  private async write(
    topic: string,
    message: KafkaMessage,
    headers: Record<string, string>,
  ): Promise<void> {
    await this.batcher.send([
      {
        topic,
        messages: [{ key: message.key, value: message.value, headers }],
      },
    ]);
  }
}

function withoutDue(headers: Record<string, string>): Record<string, string> {
  const copy = { ...headers };
  delete copy[KafkaHeaderNames.dueAt];
  return copy;
}
