import { Logger } from '@nestjs/common';
import {
  HeaderNames,
  type InboundDelivery,
  type KeyedScheduler,
  type MessageProcessor,
} from '@mq/core';
import type { EachBatchPayload, KafkaMessage } from 'kafkajs';
import { KafkaHeaderNames } from '../kafka.constants.js';
import { BatchRun } from './batch-run.js';
import { decodeHeaders } from './kafka-headers.js';
import type { OutcomeWriter } from './outcome-writer.js';
import type { RetryGate } from './retry-gate.js';
import type { TopicRoute } from './topic-route.js';

/** The consumer's state, kept by the server, read by the batches. */
export interface ConsumerState {
  /** Changes on every group join and consumer crash. */
  epoch: number;
  closing: boolean;
  /** Epoch ms after which in-flight work is abandoned on close. */
  closeDeadline: number;
  /** True from a heartbeat's rebalance error until the next join. */
  rebalancing: boolean;
  /** A heartbeat reached the coordinator. */
  markAlive(): void;
}

export interface BatchProcessorOptions {
  readonly processor: MessageProcessor;
  readonly scheduler: KeyedScheduler;
  readonly writer: () => OutcomeWriter;
  readonly gate: RetryGate;
  readonly routes: ReadonlyMap<string, TopicRoute>;
  readonly state: ConsumerState;
  /** How often to heartbeat and commit progress while handlers run. */
  readonly tickMs: number;
  /** Longest wait for in-flight handlers once a rebalance started. */
  readonly rebalanceGraceMs: number;
}

/**
 * The eachBatch handler. Messages of a partition's batch run through the
 * keyed scheduler, so different keys run in parallel and one key runs in
 * order; while they run it heartbeats (slow handlers keep their group
 * membership) and commits the contiguous-done watermark. It never resolves
 * or commits for a generation that has ended.
 */
export class BatchProcessor {
  private readonly logger = new Logger(BatchProcessor.name);

  constructor(private readonly options: BatchProcessorOptions) {}

  async run(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const route = this.options.routes.get(batch.topic);
    if (!route) {
      this.logger.warn(`ignoring a batch of unknown topic ${batch.topic}`);
      return;
    }
    const run = new BatchRun(
      batch.topic,
      batch.partition,
      this.options.state.epoch,
    );
    if (!this.mustStop(payload, run)) {
      this.scheduleAll(payload, run, route);
    }

    await this.settle(payload, run);
    await this.commit(payload, run);
    if (run.rebalance !== undefined) {
      throw run.rebalance;
    }
    if (run.failure !== undefined) {
      throw run.failure;
    }
  }

  /**
   * Hands the batch's messages to the scheduler, up to the first retry
   * record that is not due yet. The loop is synchronous, so nothing can
   * stop the batch between two messages: `mustStop` is checked before it,
   * and each task checks again when its turn comes.
   */
  private scheduleAll(
    payload: EachBatchPayload,
    run: BatchRun,
    route: TopicRoute,
  ): void {
    const { batch } = payload;
    const now = route.tier > 0 ? Date.now() : 0;
    for (const message of batch.messages) {
      const dueAt = route.tier > 0 ? dueTime(message) : 0;
      if (dueAt > now) {
        this.options.gate.holdUntil(batch.topic, batch.partition, dueAt, () =>
          payload.pause(),
        );
        break;
      }
      const position = run.progress.track(message.offset);
      const key = message.key?.toString() ?? message.offset;
      run.started();
      // The task never rejects (runTask catches everything), so the
      // scheduler's promise is not needed; run.idle() tells when it ended.
      void this.options.scheduler.schedule(`${run.label}/${key}`, () =>
        this.runTask(run, route, message, position),
      );
    }
  }

  private async runTask(
    run: BatchRun,
    route: TopicRoute,
    message: KafkaMessage,
    position: number,
  ): Promise<void> {
    try {
      // A message queued behind a stop is left unfinished: it is neither
      // handled nor committed, and the next owner of the partition gets it.
      const { state } = this.options;
      if (run.stopped || state.closing || state.rebalancing) {
        return;
      }
      await this.handle(route, message);
      run.progress.finish(position);
    } catch (error) {
      this.logger.error(
        `could not move ${run.label}@${message.offset} to its retry or ` +
          `dead-letter topic; it will be fetched again: ` +
          (error as Error).message,
      );
      run.fail(error);
    } finally {
      run.ended();
    }
  }

  private async handle(route: TopicRoute, message: KafkaMessage) {
    const headers = decodeHeaders(message.headers);
    const delivery: InboundDelivery = {
      destination: route.mainTopic,
      headers,
      body: message.value ?? Buffer.alloc(0),
      attempt: attemptOf(headers),
      fallbackType: route.pattern,
    };
    const outcome = await this.options.processor.process(delivery);
    if (outcome.kind === 'retry') {
      await this.options.writer().retry(route, message, headers, outcome);
    } else if (outcome.kind === 'dead-letter') {
      await this.options.writer().deadLetter(route, message, headers, outcome);
    }
  }

  /** Waits for the batch's tasks, heartbeating and committing meanwhile. */
  private async settle(payload: EachBatchPayload, run: BatchRun) {
    const all = run.idle().then(() => true as const);
    let graceUntil = Number.POSITIVE_INFINITY;
    for (;;) {
      if (await within(all, this.options.tickMs)) {
        return;
      }
      await this.heartbeat(payload, run);
      if (run.rebalance !== undefined && graceUntil === Infinity) {
        graceUntil = Date.now() + this.options.rebalanceGraceMs;
      }
      const { state } = this.options;
      const deadline = Math.min(
        graceUntil,
        state.closing ? state.closeDeadline : Infinity,
      );
      if (Date.now() >= deadline) {
        run.stopped = true;
        this.logger.warn(
          `${run.label}: leaving unfinished messages in flight ` +
            `(${state.closing ? 'shutdown' : 'rebalance'} timeout); ` +
            'they will be redelivered',
        );
        return;
      }
      await this.commit(payload, run);
    }
  }

  private async heartbeat(payload: EachBatchPayload, run: BatchRun) {
    if (run.rebalance !== undefined) {
      return;
    }
    try {
      await payload.heartbeat();
      this.options.state.markAlive();
    } catch (error) {
      if (isRebalancing(error)) {
        run.rebalance = error;
        run.stopped = true;
        this.options.state.rebalancing = true;
        return;
      }
      this.logger.warn(
        `${run.label}: heartbeat failed: ${(error as Error).message}`,
      );
    }
  }

  /** Commits the watermark, unless the batch's generation is over. */
  private async commit(payload: EachBatchPayload, run: BatchRun) {
    if (run.epoch !== this.options.state.epoch) {
      return;
    }
    const through = run.progress.finishedThrough();
    if (through === undefined || through === run.committedThrough) {
      return;
    }
    payload.resolveOffset(through);
    const offset = pendingOffset(payload, run);
    if (offset === undefined) {
      run.committedThrough = through;
      return;
    }
    try {
      await payload.commitOffsetsIfNecessary({
        topics: [
          {
            topic: run.topic,
            partitions: [{ partition: run.partition, offset }],
          },
        ],
      });
      run.committedThrough = through;
    } catch (error) {
      // Not fatal: a later commit carries a higher offset, and what stays
      // uncommitted is redelivered, which the inbox makes harmless.
      this.logger.warn(
        `${run.label}: commit of offset ${offset} failed: ` +
          (error as Error).message,
      );
    }
  }

  private mustStop(payload: EachBatchPayload, run: BatchRun): boolean {
    const { state } = this.options;
    if (
      run.stopped ||
      state.closing ||
      state.rebalancing ||
      state.epoch !== run.epoch ||
      !payload.isRunning() ||
      payload.isStale()
    ) {
      run.stopped = true;
    }
    return run.stopped;
  }
}

function attemptOf(headers: Record<string, string>): number {
  const attempt = Number(headers[HeaderNames.attempt]);
  return Number.isInteger(attempt) && attempt >= 1 ? attempt : 1;
}

function dueTime(message: KafkaMessage): number {
  const header = decodeHeaders(message.headers)[KafkaHeaderNames.dueAt];
  const due = header ? Date.parse(header) : Number.NaN;
  return Number.isNaN(due) ? 0 : due;
}

/** The resolved, not yet committed offset kafkajs holds for the partition. */
function pendingOffset(
  payload: EachBatchPayload,
  run: BatchRun,
): string | undefined {
  const topic = payload
    .uncommittedOffsets()
    .topics.find((entry) => entry.topic === run.topic);
  return topic?.partitions.find(
    (entry) => String(entry.partition) === String(run.partition),
  )?.offset;
}

/**
 * Errors after which kafkajs rejoins the group (its own `isRebalancing`,
 * which it does not export, plus an expired membership).
 */
function isRebalancing(error: unknown): boolean {
  const type = (error as { type?: unknown } | null)?.type;
  return (
    type === 'REBALANCE_IN_PROGRESS' ||
    type === 'NOT_COORDINATOR_FOR_GROUP' ||
    type === 'ILLEGAL_GENERATION' ||
    type === 'UNKNOWN_MEMBER_ID'
  );
}

async function within(done: Promise<true>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const elapsed = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([done, elapsed]);
  } finally {
    clearTimeout(timer);
  }
}
