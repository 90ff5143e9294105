import { EventEmitter } from 'node:events';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { Logger } from '@nestjs/common';
import type { Channel, ConsumeMessage } from 'amqplib';
import { ConsumerChannel } from '../src/consumer-channel.js';

/** The frames a channel was asked to send, in order. */
class RecordingChannel extends EventEmitter {
  readonly frames: string[] = [];
  private deliver: ((message: ConsumeMessage | null) => void) | undefined;

  consume(
    _queue: string,
    onMessage: (message: ConsumeMessage | null) => void,
  ): Promise<{ consumerTag: string }> {
    this.deliver = onMessage;
    return Promise.resolve({ consumerTag: 'ctag' });
  }

  ack(message: ConsumeMessage, allUpTo = false): void {
    const tag = message.fields.deliveryTag;
    this.frames.push(allUpTo ? `ack<=${tag}` : `ack ${tag}`);
  }

  nack(message: ConsumeMessage): void {
    this.frames.push(`nack ${message.fields.deliveryTag}`);
  }

  /** Delivers messages with tags `from..to` and returns them. */
  push(from: number, to: number): ConsumeMessage[] {
    const messages: ConsumeMessage[] = [];
    for (let tag = from; tag <= to; tag += 1) {
      const message = { fields: { deliveryTag: tag } } as ConsumeMessage;
      this.deliver?.(message);
      messages.push(message);
    }
    return messages;
  }
}

async function consumerOn(
  raw: RecordingChannel,
  onMessage: (message: ConsumeMessage | null) => void = () => undefined,
): Promise<ConsumerChannel> {
  const state = new ConsumerChannel(
    raw as unknown as Channel,
    new Logger('test'),
  );
  await state.consume('queue', onMessage);
  return state;
}

describe('ConsumerChannel', () => {
  describe('ack', () => {
    it('sends the acks of one turn as one multiple ack', async () => {
      const raw = new RecordingChannel();
      const state = await consumerOn(raw);
      const messages = raw.push(1, 5);

      for (const message of messages) {
        state.ack(message, undefined);
      }
      expect(raw.frames).toEqual([]);
      await nextTurn();

      expect(raw.frames).toEqual(['ack<=5']);
    });

    it('acks one by one the deliveries after an unfinished one', async () => {
      const raw = new RecordingChannel();
      const state = await consumerOn(raw);
      const [first, second, third, fourth] = raw.push(1, 4);

      state.ack(first, undefined);
      state.ack(third, undefined);
      state.ack(fourth, undefined);
      await nextTurn();
      state.ack(second, undefined);
      await nextTurn();

      expect(raw.frames).toEqual(['ack<=1', 'ack 3', 'ack 4', 'ack<=2']);
    });

    it('sends a nack at once, before a multiple ack that passes it', async () => {
      const raw = new RecordingChannel();
      const state = await consumerOn(raw);
      const [first, second, third] = raw.push(1, 3);

      state.ack(first, undefined);
      state.release(second);
      state.ack(third, undefined);
      await nextTurn();

      expect(raw.frames).toEqual(['nack 2', 'ack<=3']);
    });

    it('does not ack a delivery twice', async () => {
      const raw = new RecordingChannel();
      const state = await consumerOn(raw);
      const [message] = raw.push(1, 1);

      state.ack(message, 'm-1');
      await nextTurn();
      state.ack(message, 'm-1');
      await nextTurn();

      expect(raw.frames).toEqual(['ack<=1']);
    });

    it('sends nothing once the channel closed', async () => {
      const raw = new RecordingChannel();
      const state = await consumerOn(raw);
      const [message] = raw.push(1, 1);

      state.ack(message, 'm-1');
      raw.emit('close');
      await nextTurn();

      expect(raw.frames).toEqual([]);
      expect(state.open).toBe(false);
    });
  });

  describe('flush', () => {
    it('sends the waiting acks without waiting for the turn to end', async () => {
      const raw = new RecordingChannel();
      const state = await consumerOn(raw);
      const [first, second] = raw.push(1, 2);

      state.ack(first, undefined);
      state.ack(second, undefined);
      state.flush();

      expect(raw.frames).toEqual(['ack<=2']);
      await nextTurn();
      expect(raw.frames).toEqual(['ack<=2']);
    });
  });
});
