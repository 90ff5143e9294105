import type { Envelope } from '@mq/core';
import type { ChainableCommander, Redis } from 'ioredis';
import { PUBLISH_BATCH_SIZE } from './redis-streams.constants.js';

/** One envelope, encoded and addressed, ready for XADD. */
export interface PreparedEntry {
  readonly envelope: Envelope;
  readonly stream: string;
  readonly fields: Array<string | Buffer>;
}

/** WAIT after the writes: how many replicas, within how long. */
export interface ReplicaWait {
  readonly replicas: number;
  readonly timeoutMs: number;
}

/** One `publish` call waiting for the next flush. */
interface QueuedPublish {
  readonly entries: readonly PreparedEntry[];
  resolve(): void;
  reject(error: unknown): void;
}

type PipelineResults = Array<[Error | null, unknown]>;

/**
 * Coalesces publishes. The XADDs of every publish made during one turn of
 * the event loop go out at its end in one pipeline (one socket write, one
 * round trip), in call order, so one connection keeps publish order. Each
 * publish settles on the replies to its own entries: one failed XADD fails
 * only the publish it belongs to. With `waitForReplicas`, one WAIT after the
 * batch covers every write in it.
 */
export class PublishBatcher {
  private queue: QueuedPublish[] = [];
  private queuedEntries = 0;
  private flushScheduled = false;

  constructor(
    private readonly redis: Redis,
    /** XADD trimming arguments, computed per flush (MINID moves on). */
    private readonly trimArguments: () => string[],
    private readonly waitForReplicas: ReplicaWait | undefined,
  ) {}

  /** Resolves once Redis has appended every entry (and WAIT passed). */
  publish(entries: readonly PreparedEntry[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ entries, resolve, reject });
      this.queuedEntries += entries.length;
      if (this.queuedEntries >= PUBLISH_BATCH_SIZE) {
        // Let Redis work on these while the next ones are encoded.
        this.flush();
      } else if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => {
          this.flushScheduled = false;
          this.flush();
        });
      }
    });
  }

  private flush(): void {
    const batch = this.queue;
    if (batch.length === 0) {
      return;
    }
    this.queue = [];
    this.queuedEntries = 0;
    const trim = this.trimArguments();
    const [only] = batch;
    if (
      batch.length === 1 &&
      only.entries.length === 1 &&
      !this.waitForReplicas
    ) {
      // A lone XADD needs no pipeline.
      const { stream, fields } = only.entries[0];
      this.redis.xadd(stream, ...trim, '*', ...fields).then(
        () => only.resolve(),
        (error: unknown) => only.reject(publishError(only.entries[0], error)),
      );
      return;
    }
    const pipeline = this.redis.pipeline();
    for (const { entries } of batch) {
      for (const { stream, fields } of entries) {
        pipeline.xadd(stream, ...trim, '*', ...fields);
      }
    }
    this.addWait(pipeline);
    pipeline.exec().then(
      (results) => this.settle(batch, results ?? []),
      (error: unknown) => batch.forEach((queued) => queued.reject(error)),
    );
  }

  private addWait(pipeline: ChainableCommander): void {
    if (this.waitForReplicas) {
      pipeline.wait(
        this.waitForReplicas.replicas,
        this.waitForReplicas.timeoutMs,
      );
    }
  }

  private settle(
    batch: readonly QueuedPublish[],
    results: PipelineResults,
  ): void {
    const replicaError = this.replicaError(results.at(-1));
    let at = 0;
    for (const queued of batch) {
      const failure = firstFailure(queued.entries, results, at) ?? replicaError;
      at += queued.entries.length;
      if (failure) {
        queued.reject(failure);
      } else {
        queued.resolve();
      }
    }
  }

  private replicaError(
    result: [Error | null, unknown] | undefined,
  ): Error | undefined {
    if (!this.waitForReplicas) {
      return undefined;
    }
    const { replicas, timeoutMs } = this.waitForReplicas;
    const [error, acked] = result ?? [new Error('no reply'), 0];
    if (!error && Number(acked) >= replicas) {
      return undefined;
    }
    const got = error ? error.message : `${String(acked)} did`;
    return new Error(
      `published, but WAIT ${replicas} replica(s) within ${timeoutMs} ms ` +
        `failed (${got}); the messages may be lost on failover`,
      { cause: error ?? undefined },
    );
  }
}

function firstFailure(
  entries: readonly PreparedEntry[],
  results: PipelineResults,
  from: number,
): Error | undefined {
  for (let i = 0; i < entries.length; i += 1) {
    const [error] = results[from + i] ?? [new Error('no reply')];
    if (error) {
      return publishError(entries[i], error);
    }
  }
  return undefined;
}

function publishError(entry: PreparedEntry, error: unknown): Error {
  const reason = error instanceof Error ? error.message : String(error);
  return new Error(
    `publishing ${entry.envelope.type} id=${entry.envelope.id} to ` +
      `${entry.stream} failed: ${reason}`,
    { cause: error },
  );
}
