import type { Logger } from '@nestjs/common';
import {
  deadLetterHeaders,
  HeaderNames,
  newMessageId,
  type InboundDelivery,
  type ProcessOutcome,
} from '@mq/core';
import type { ConsumeMessage } from 'amqplib';
import { setTimeout as sleep } from 'node:timers/promises';
import { copyableHeaders, copyProperties } from './amqp-message.js';
import type { ConfirmedPublisher } from './confirmed.publisher.js';
import type { ConsumerChannel } from './consumer-channel.js';
import { delayBucket } from './delay-buckets.js';
import {
  COPY_FAILURE_BACKOFF_MS,
  DEAD_LETTER_ENTRY_HEADER,
} from './rabbitmq.constants.js';
import type { RabbitMqTopology } from './rabbitmq.topology.js';

export interface DeliveryOutcomeExecutorOptions {
  readonly topology: RabbitMqTopology;
  readonly consumerGroup: string;
  /** Delay queues the server declared, from its retry policy. */
  readonly delayBuckets: readonly number[];
  /** The confirm channel for copies; throws while not listening. */
  readonly publisher: () => ConfirmedPublisher;
  readonly logger: Logger;
}

/**
 * Carries out what the processor decided for one delivery of a work
 * queue: ack it, or first copy it to a delay queue (retry) or to the
 * dead-letter queue, confirmed by the broker, and only then ack it.
 */
export class DeliveryOutcomeExecutor {
  private readonly workQueue: string;
  private readonly deadLetterQueue: string;

  constructor(private readonly options: DeliveryOutcomeExecutorOptions) {
    this.workQueue = options.topology.workQueue(options.consumerGroup);
    this.deadLetterQueue = options.topology.deadLetterQueue(
      options.consumerGroup,
    );
  }

  async execute(
    state: ConsumerChannel,
    msg: ConsumeMessage,
    delivery: InboundDelivery,
    outcome: ProcessOutcome,
  ): Promise<void> {
    switch (outcome.kind) {
      case 'handled':
        state.ack(msg, outcome.envelope.id);
        return;
      case 'retry':
        await this.moveTo(state, msg, this.retryQueueFor(outcome.delayMs), {
          ...headersToCopy(delivery),
          ...outcome.retryHeaders,
        });
        return;
      case 'dead-letter':
        await this.moveTo(state, msg, this.deadLetterQueue, {
          ...headersToCopy(delivery),
          ...deadLetterHeaders(outcome.metadata),
          [DEAD_LETTER_ENTRY_HEADER]: newMessageId(),
        });
        return;
    }
  }

  /**
   * Publishes a copy to `queue` (through the default exchange, mandatory,
   * confirmed) and only then acks the original. When the copy fails the
   * original goes back to the queue after a pause, to be handled again.
   */
  private async moveTo(
    state: ConsumerChannel,
    msg: ConsumeMessage,
    queue: string,
    headers: Record<string, string>,
  ): Promise<void> {
    const id = headers[HeaderNames.id];
    try {
      await this.options.publisher().publish('', queue, msg.content, {
        ...copyProperties(msg, headers),
        mandatory: true,
      });
    } catch (error) {
      this.options.logger.error(
        `could not move id=${id ?? '?'} key=${headers[HeaderNames.key] ?? ''} ` +
          `to ${queue}: ${(error as Error).message}; it goes back to ` +
          `${this.workQueue} in ${COPY_FAILURE_BACKOFF_MS} ms`,
      );
      await sleep(COPY_FAILURE_BACKOFF_MS);
      state.release(msg);
      return;
    }
    state.ack(msg, id);
  }

  private retryQueueFor(delayMs: number): string {
    const { topology, consumerGroup, delayBuckets } = this.options;
    const wanted = delayBucket(delayMs);
    if (delayBuckets.length === 0) {
      return topology.retryQueue(consumerGroup, wanted);
    }
    // The buckets cover every delay the policy can produce; the nearest one
    // guards against a rounding surprise rather than a real case.
    const bucket = delayBuckets.reduce((best, candidate) =>
      Math.abs(candidate - wanted) < Math.abs(best - wanted) ? candidate : best,
    );
    return topology.retryQueue(consumerGroup, bucket);
  }
}

function headersToCopy(delivery: InboundDelivery): Record<string, string> {
  return copyableHeaders(delivery.headers as Record<string, string>);
}
