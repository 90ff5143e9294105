import type { Logger } from '@nestjs/common';
import type { Channel, ConsumeMessage, Message } from 'amqplib';
import { AckLedger } from './ack-ledger.js';

interface Delivery {
  readonly message: Message;
  readonly id: string | undefined;
}

/**
 * One consumer channel and its consumers. Every delivery keeps the channel
 * it came from and is acked there only: a delivery tag names another
 * message on any other channel, so once this one has closed its deliveries
 * are left for the broker to redeliver.
 *
 * Acks are sent once per turn of the event loop instead of one frame per
 * message: a run of handled deliveries goes as one `multiple` ack, the
 * rest one by one in the same turn (see AckLedger). Only handled
 * deliveries are ever in an ack; a crash before the flush redelivers them.
 */
export class ConsumerChannel {
  readonly consumerTags: string[] = [];
  private readonly ledger = new AckLedger<Delivery>();
  private flushing: NodeJS.Immediate | undefined;
  private closed = false;

  constructor(
    readonly channel: Channel,
    private readonly logger: Logger,
  ) {
    channel.on('close', () => {
      this.closed = true;
    });
  }

  get open(): boolean {
    return !this.closed;
  }

  /**
   * Starts a consumer whose deliveries this channel keeps track of; every
   * consumer of the channel must start here (see AckLedger).
   */
  async consume(
    queue: string,
    onMessage: (message: ConsumeMessage | null) => void,
  ): Promise<void> {
    const { consumerTag } = await this.channel.consume(queue, (message) => {
      if (message) {
        this.ledger.received(message.fields.deliveryTag, {
          message,
          id: undefined,
        });
      }
      onMessage(message);
    });
    this.consumerTags.push(consumerTag);
  }

  /** Acks on this channel within this turn, if it is still open then. */
  ack(message: Message, id: string | undefined): void {
    const delivery = { message, id };
    if (this.ledger.markHandled(message.fields.deliveryTag, delivery)) {
      this.flushing ??= setImmediate(() => this.flush());
      return;
    }
    // Every delivery is received through consume(), so an unknown tag was
    // settled already: a second ack would make the broker close the
    // channel (406, unknown delivery tag).
    this.logger.warn(
      `ack of id=${id ?? '?'} skipped: delivery ` +
        `${message.fields.deliveryTag} was already settled`,
    );
  }

  /** Hands a delivery back to the broker (nack with requeue) at once. */
  release(message: Message): void {
    this.ledger.forget(message.fields.deliveryTag);
    // A closed channel has requeued its deliveries by itself.
    this.settle(() => this.channel.nack(message, false, true));
  }

  /** Sends the acks of every delivery handled so far. */
  flush(): void {
    clearImmediate(this.flushing);
    this.flushing = undefined;
    if (this.ledger.waiting === 0) {
      return;
    }
    const { upTo, single, count } = this.ledger.take();
    const sent =
      (upTo === undefined ||
        this.settle(() => this.channel.ack(upTo.message, true))) &&
      single.every((delivery) =>
        this.settle(() => this.channel.ack(delivery.message)),
      );
    if (!sent) {
      this.warnNotAcked(count, (single.at(-1) ?? upTo)?.id);
    }
  }

  /** Cancels the consumers; the deliveries already here stay unacked. */
  async cancel(): Promise<void> {
    for (const tag of this.consumerTags) {
      if (this.closed) {
        return;
      }
      try {
        await this.channel.cancel(tag);
      } catch (error) {
        // The channel closed meanwhile, which cancels consumers as well.
        this.logger.warn(
          `consumer ${tag} was not cancelled: ${(error as Error).message}`,
        );
      }
    }
  }

  private warnNotAcked(count: number, lastId: string | undefined): void {
    this.logger.warn(
      `not acking ${count} handled delivery(ies), last id=${lastId ?? '?'}: ` +
        'their channel closed, so the broker delivers them again ' +
        '(the inbox absorbs the duplicates)',
    );
  }

  private settle(send: () => void): boolean {
    if (this.closed) {
      return false;
    }
    try {
      send();
      return true;
    } catch (error) {
      // amqplib throws once the channel is closing: treat it as closed.
      this.closed = true;
      this.logger.debug(`channel is closing: ${(error as Error).message}`);
      return false;
    }
  }
}
