import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Producer, ProducerBatch, TopicMessages } from 'kafkajs';
import { ProduceBatcher } from '../../src/producer/produce-batcher.js';
import {
  batchLimits,
  type BatchLimits,
} from '../../src/producer/produce-batching.options.js';

/**
 * Stands in for kafkajs's producer: records each produce request as
 * `topic:key` strings and leaves it pending until the test answers it.
 */
class RequestLog {
  readonly requests: string[][] = [];
  private readonly answers: {
    resolve: () => void;
    reject: (error: Error) => void;
  }[] = [];

  readonly producer = {
    sendBatch: (batch: ProducerBatch) => {
      this.requests.push(
        (batch.topicMessages ?? []).flatMap(({ topic, messages }) =>
          messages.map((message) => `${topic}:${String(message.key)}`),
        ),
      );
      return new Promise<void>((resolve, reject) =>
        this.answers.push({ resolve, reject }),
      );
    },
  } as unknown as Producer;

  /**
   * Acknowledges the oldest unanswered request (or the one at `index`),
   * then lets the batcher send what queued meanwhile (it does so on the
   * event-loop turn after).
   */
  async ack(index = 0): Promise<void> {
    this.answers.splice(index, 1)[0]?.resolve();
    await nextTurn();
    await nextTurn();
  }

  async fail(error: Error): Promise<void> {
    this.answers.shift()?.reject(error);
    await nextTurn();
    await nextTurn();
  }
}

function topicMessages(topic: string, ...keys: string[]): TopicMessages[] {
  return [{ topic, messages: keys.map((key) => ({ key, value: key })) }];
}

/** Settles to 'resolved' or the rejection's message, for assertions. */
function outcome(send: Promise<void>): Promise<string> {
  return send.then(
    () => 'resolved',
    (error: Error) => error.message,
  );
}

function limits(overrides: Partial<BatchLimits> = {}): BatchLimits {
  return batchLimits(overrides);
}

describe('ProduceBatcher', () => {
  describe('send', () => {
    it('puts the sends of one tick into one request per topic, in send order', async () => {
      const log = new RequestLog();
      const batcher = new ProduceBatcher(log.producer, limits());
      const sends = [
        batcher.send(topicMessages('a', 'k1', 'k2')),
        batcher.send(topicMessages('b', 'k1')),
        batcher.send(topicMessages('a', 'k1')),
      ];
      await nextTurn();

      expect(log.requests).toEqual([['a:k1', 'a:k2', 'a:k1'], ['b:k1']]);
      await log.ack();
      await log.ack();
      await expect(Promise.all(sends)).resolves.toBeDefined();
    });

    it('holds up only the topic whose request is unanswered', async () => {
      const log = new RequestLog();
      const batcher = new ProduceBatcher(log.producer, limits());
      const stuck = outcome(batcher.send(topicMessages('a', 'k1')));
      await nextTurn();
      const sends = [
        outcome(batcher.send(topicMessages('b', 'k1'))),
        outcome(batcher.send(topicMessages('a', 'k2'))),
      ];
      await nextTurn();
      expect(log.requests).toEqual([['a:k1'], ['b:k1']]);

      await log.ack(1);
      await expect(sends[0]).resolves.toBe('resolved');
      // a:k2 waits for a:k1: a second request could overtake the first.
      expect(log.requests).toHaveLength(2);
      await log.ack();
      expect(log.requests).toEqual([['a:k1'], ['b:k1'], ['a:k2']]);
      await log.ack();
      await expect(Promise.all([stuck, sends[1]])).resolves.toEqual([
        'resolved',
        'resolved',
      ]);
    });

    it('sends what queued behind a request in flight as the next request', async () => {
      const log = new RequestLog();
      const batcher = new ProduceBatcher(log.producer, limits());
      const first = batcher.send(topicMessages('t', 'k1'));
      await nextTurn();
      const later = [
        batcher.send(topicMessages('t', 'k1')),
        batcher.send(topicMessages('t', 'k2')),
      ];
      await nextTurn();
      expect(log.requests).toHaveLength(1);

      await log.ack();
      await first;
      expect(log.requests).toEqual([['t:k1'], ['t:k1', 't:k2']]);
      await log.ack();
      await Promise.all(later);
    });

    it('splits at maxBatchMessages and maxBatchBytes, keeping the order', async () => {
      const log = new RequestLog();
      const batcher = new ProduceBatcher(
        log.producer,
        limits({ maxBatchMessages: 2 }),
      );
      const send = batcher.send(topicMessages('t', 'k1', 'k2', 'k3'));
      await nextTurn();
      await log.ack();
      expect(log.requests).toEqual([['t:k1', 't:k2'], ['t:k3']]);
      await log.ack();
      await expect(outcome(send)).resolves.toBe('resolved');

      const bytes = new RequestLog();
      const small = new ProduceBatcher(
        bytes.producer,
        limits({ maxBatchBytes: 60 }),
      );
      const big = { key: 'big', value: 'x'.repeat(100) };
      const sends = [
        small.send(topicMessages('t', 'k1')),
        small.send([{ topic: 't', messages: [big] }]),
        small.send(topicMessages('t', 'k2')),
      ];
      await nextTurn();
      await bytes.ack();
      await bytes.ack();
      await bytes.ack();
      // A message over the limit still goes, on its own.
      expect(bytes.requests).toEqual([['t:k1'], ['t:big'], ['t:k2']]);
      await Promise.all(sends);
    });

    it('rejects every send of a failed request, and only those', async () => {
      const log = new RequestLog();
      const batcher = new ProduceBatcher(log.producer, limits());
      const failing = [
        batcher.send(topicMessages('t', 'k1')),
        batcher.send(topicMessages('t', 'k2', 'k3')),
      ];
      const results = failing.map(outcome);
      await nextTurn();
      const next = outcome(batcher.send(topicMessages('t', 'k4')));

      await log.fail(new Error('MESSAGE_TOO_LARGE'));
      await expect(Promise.all(results)).resolves.toEqual([
        'MESSAGE_TOO_LARGE',
        'MESSAGE_TOO_LARGE',
      ]);
      await log.ack();
      await expect(next).resolves.toBe('resolved');
    });

    it('resolves a send split over requests only after all of them', async () => {
      const log = new RequestLog();
      const batcher = new ProduceBatcher(
        log.producer,
        limits({ maxBatchMessages: 1 }),
      );
      let settled = false;
      const result = outcome(batcher.send(topicMessages('t', 'k1', 'k2'))).then(
        (value) => {
          settled = true;
          return value;
        },
      );
      await nextTurn();
      await log.ack();
      expect(settled).toBe(false);
      await log.fail(new Error('second request failed'));
      await expect(result).resolves.toBe('second request failed');
    });

    it('drops a send that timed out before its request left', async () => {
      const log = new RequestLog();
      const batcher = new ProduceBatcher(log.producer, limits());
      const inFlight = outcome(
        batcher.send(topicMessages('t', 'k1'), {
          timeoutMs: 20,
          timeoutError: () => new Error('in flight timed out'),
        }),
      );
      await nextTurn();
      const queued = outcome(
        batcher.send(topicMessages('t', 'k2'), {
          timeoutMs: 20,
          timeoutError: () => new Error('queued timed out'),
        }),
      );
      const kept = outcome(batcher.send(topicMessages('t', 'k3')));

      await expect(inFlight).resolves.toBe('in flight timed out');
      await expect(queued).resolves.toBe('queued timed out');
      await log.ack();
      await log.ack();
      expect(log.requests).toEqual([['t:k1'], ['t:k3']]);
      await expect(kept).resolves.toBe('resolved');
    });

    it('waits lingerMs before sending from idle', async () => {
      const log = new RequestLog();
      const batcher = new ProduceBatcher(
        log.producer,
        limits({ lingerMs: 30 }),
      );
      const first = batcher.send(topicMessages('t', 'k1'));
      await nextTurn();
      expect(log.requests).toEqual([]);
      await new Promise((resolve) => setTimeout(resolve, 40));
      const second = batcher.send(topicMessages('t', 'k2'));
      expect(log.requests).toEqual([['t:k1']]);
      await log.ack();
      await first;
      // Queued behind a request in flight: no further linger.
      expect(log.requests).toEqual([['t:k1'], ['t:k2']]);
      await log.ack();
      await second;
    });
  });
});

describe('batchLimits', () => {
  it('fills the defaults', () => {
    expect(batchLimits()).toEqual({
      lingerMs: 0,
      maxBatchMessages: 500,
      maxBatchBytes: 524_288,
    });
  });

  it('names the bad option', () => {
    expect(() => batchLimits({ lingerMs: -1 })).toThrow(/lingerMs/);
    expect(() => batchLimits({ maxBatchMessages: 0 })).toThrow(
      /maxBatchMessages/,
    );
    expect(() => batchLimits({ maxBatchBytes: 1.5 })).toThrow(/maxBatchBytes/);
  });
});
