import type { Message, Producer, TopicMessages } from 'kafkajs';
import { batchLimits, type BatchLimits } from './produce-batching.options.js';

/** Allowance for a record's framing (lengths, deltas, attributes). */
const RECORD_OVERHEAD_BYTES = 24;
const HEADER_OVERHEAD_BYTES = 4;

/** One `send` call: settles once all of its messages are, or on timeout. */
interface Send {
  remaining: number;
  settled: boolean;
  timer?: NodeJS.Timeout;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

interface QueuedMessage {
  readonly message: Message;
  readonly bytes: number;
  readonly send: Send;
}

/** One topic's queue and its request in flight, if any. */
interface Lane {
  readonly topic: string;
  queue: QueuedMessage[];
  inFlight: boolean;
  wakeScheduled: boolean;
}

export interface BatchedSendOptions {
  /** Reject after this many ms; 0 or unset waits as long as it takes. */
  readonly timeoutMs?: number;
  /** The rejection of a send that timed out. */
  readonly timeoutError?: () => Error;
}

/**
 * Gathers the messages of concurrent sends into few produce requests, at
 * most one in flight per topic: a second one could overtake the first when
 * kafkajs retries it, and the idempotent producer sends one request per
 * broker at a time anyway. A topic that cannot be written (kafkajs retries
 * it without end) holds up only its own messages. Messages leave in the
 * order they were sent, so one key's messages reach their partition in
 * send order, within a request and across requests.
 *
 * A send resolves when the requests carrying its messages were
 * acknowledged with acks=all, and rejects with the error of the first one
 * that failed; the other sends of that request reject with it too. A send
 * that times out while queued is dropped before it is written; one already
 * in flight may still be written.
 */
export class ProduceBatcher {
  private readonly lingerMs: number;
  private readonly maxMessages: number;
  private readonly maxBytes: number;
  private readonly lanes = new Map<string, Lane>();

  constructor(
    private readonly producer: Producer,
    limits: BatchLimits = batchLimits(),
  ) {
    this.lingerMs = limits.lingerMs;
    this.maxMessages = limits.maxBatchMessages;
    this.maxBytes = limits.maxBatchBytes;
  }

  /** Queues the messages; see the class comment for when it settles. */
  send(
    topicMessages: readonly TopicMessages[],
    options: BatchedSendOptions = {},
  ): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const send: Send = { remaining: 0, settled: false, resolve, reject };
      const touched: Lane[] = [];
      for (const { topic, messages } of topicMessages) {
        if (messages.length === 0) {
          continue;
        }
        const lane = this.laneOf(topic);
        for (const message of messages) {
          lane.queue.push({ message, bytes: sizeOf(message), send });
        }
        send.remaining += messages.length;
        touched.push(lane);
      }
      if (send.remaining === 0) {
        resolve();
        return;
      }
      const { timeoutMs, timeoutError } = options;
      if (timeoutMs !== undefined && timeoutMs > 0) {
        send.timer = setTimeout(() => {
          this.settle(
            send,
            timeoutError?.() ?? new Error(`send timed out (${timeoutMs} ms)`),
          );
        }, timeoutMs);
      }
      for (const lane of touched) {
        this.wakeAfter(lane, this.lingerMs);
      }
    });
  }

  private laneOf(topic: string): Lane {
    let lane = this.lanes.get(topic);
    if (!lane) {
      lane = { topic, queue: [], inFlight: false, wakeScheduled: false };
      this.lanes.set(topic, lane);
    }
    return lane;
  }

  private wakeAfter(lane: Lane, delayMs: number): void {
    if (lane.inFlight || lane.wakeScheduled || lane.queue.length === 0) {
      return;
    }
    lane.wakeScheduled = true;
    if (delayMs > 0) {
      setTimeout(() => this.flush(lane), delayMs);
    } else {
      setImmediate(() => this.flush(lane));
    }
  }

  private flush(lane: Lane): void {
    lane.wakeScheduled = false;
    const batch = this.take(lane);
    if (batch.length === 0) {
      return;
    }
    lane.inFlight = true;
    void this.producer
      .sendBatch({
        acks: -1,
        topicMessages: [
          { topic: lane.topic, messages: batch.map((q) => q.message) },
        ],
      })
      .then(
        () => this.acknowledge(batch),
        (error: unknown) => this.fail(batch, error),
      )
      .finally(() => {
        lane.inFlight = false;
        // Whatever queued meanwhile has waited long enough: send it now.
        this.wakeAfter(lane, 0);
      });
  }

  /** The lane's next request, oldest first, within the limits. */
  private take(lane: Lane): QueuedMessage[] {
    const { queue } = lane;
    const batch: QueuedMessage[] = [];
    let bytes = 0;
    let next = 0;
    for (; next < queue.length; next += 1) {
      const queued = queue[next];
      if (queued.send.settled) {
        continue;
      }
      const full =
        batch.length >= this.maxMessages ||
        bytes + queued.bytes > this.maxBytes;
      if (batch.length > 0 && full) {
        break;
      }
      batch.push(queued);
      bytes += queued.bytes;
    }
    lane.queue = next === queue.length ? [] : queue.slice(next);
    return batch;
  }

  private acknowledge(batch: readonly QueuedMessage[]): void {
    for (const { send } of batch) {
      send.remaining -= 1;
      if (send.remaining === 0) {
        this.settle(send);
      }
    }
  }

  private fail(batch: readonly QueuedMessage[], error: unknown): void {
    for (const { send } of batch) {
      this.settle(send, error);
    }
  }

  private settle(send: Send, error?: unknown): void {
    if (send.settled) {
      return;
    }
    send.settled = true;
    clearTimeout(send.timer);
    if (error === undefined) {
      send.resolve();
    } else {
      send.reject(error);
    }
  }
}

function sizeOf(message: Message): number {
  let bytes =
    RECORD_OVERHEAD_BYTES + lengthOf(message.key) + lengthOf(message.value);
  const { headers } = message;
  for (const name in headers) {
    const value = headers[name];
    bytes += HEADER_OVERHEAD_BYTES + Buffer.byteLength(name);
    if (Array.isArray(value)) {
      for (const item of value) {
        bytes += lengthOf(item);
      }
    } else {
      bytes += lengthOf(value);
    }
  }
  return bytes;
}

function lengthOf(value: Buffer | string | null | undefined): number {
  if (value === null || value === undefined) {
    return 0;
  }
  return typeof value === 'string' ? Buffer.byteLength(value) : value.length;
}
