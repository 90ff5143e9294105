import type { Logger } from '@nestjs/common';
import type { Channel, Message } from 'amqplib';

/**
 * One consumer channel and its consumers. Every delivery keeps the channel
 * it came from and is acked there only: a delivery tag names another
 * message on any other channel, so once this one has closed its deliveries
 * are left for the broker to redeliver.
 */
export class ConsumerChannel {
  readonly consumerTags: string[] = [];
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

  /** Acks on this channel, if it is still open. */
  ack(message: Message, id: string | undefined): void {
    if (this.settle(() => this.channel.ack(message))) {
      return;
    }
    this.logger.warn(
      `not acking id=${id ?? '?'}: its channel closed, so the broker ` +
        'delivers it again (the inbox absorbs the duplicate)',
    );
  }

  /** Hands a delivery back to the broker (nack with requeue). */
  release(message: Message): void {
    // A closed channel has requeued its deliveries by itself.
    this.settle(() => this.channel.nack(message, false, true));
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
