import { Logger } from '@nestjs/common';
import {
  Server,
  type CustomTransportStrategy,
  type MessageHandler,
} from '@nestjs/microservices';
import { KeyedScheduler } from '../concurrency/keyed-scheduler.js';
import { MessageProcessor } from '../handling/message-processor.js';
import { RetryPolicy } from '../retry/retry-policy.js';
import type { HealthReporter, TransportHealth } from './transport-health.js';
import {
  RELIABLE_SERVER_DEFAULTS,
  type ReliableServerOptions,
} from './reliable-server-options.js';

/**
 * Shared base of the server strategies: option defaults and checks, the
 * message processor, the keyed scheduler and the startup log of bindings.
 * Subclasses own the broker: they fetch, hand each delivery to `processor`
 * through `scheduler`, and carry out the outcome.
 */
export abstract class ReliableServer
  extends Server
  implements CustomTransportStrategy, HealthReporter
{
  protected readonly consumerGroup: string;
  protected readonly retryPolicy: RetryPolicy;
  protected readonly concurrency: number;
  protected readonly handlerTimeoutMs: number;
  protected readonly shutdownTimeoutMs: number;
  protected readonly processor: MessageProcessor;
  protected readonly scheduler: KeyedScheduler;
  protected override readonly logger: Logger;

  protected constructor(options: ReliableServerOptions, name: string) {
    super();
    this.logger = new Logger(name);
    if (!options.consumerGroup) {
      throw new TypeError(`${name}: consumerGroup is required`);
    }
    this.consumerGroup = options.consumerGroup;
    const { maxHeaderBytes } = options;
    if (
      maxHeaderBytes !== undefined &&
      (!Number.isInteger(maxHeaderBytes) || maxHeaderBytes < 1)
    ) {
      throw new RangeError(
        `${name}: maxHeaderBytes must be an integer >= 1, got ${maxHeaderBytes}`,
      );
    }
    this.retryPolicy = new RetryPolicy(options.retry);
    this.concurrency =
      options.concurrency ?? RELIABLE_SERVER_DEFAULTS.concurrency;
    this.handlerTimeoutMs =
      options.handlerTimeoutMs ?? RELIABLE_SERVER_DEFAULTS.handlerTimeoutMs;
    this.shutdownTimeoutMs =
      options.shutdownTimeoutMs ?? RELIABLE_SERVER_DEFAULTS.shutdownTimeoutMs;
    this.scheduler = new KeyedScheduler(this.concurrency);
    this.processor = new MessageProcessor({
      consumerGroup: this.consumerGroup,
      retryPolicy: this.retryPolicy,
      handlerTimeoutMs: this.handlerTimeoutMs,
      maxHeaderBytes:
        options.maxHeaderBytes ?? RELIABLE_SERVER_DEFAULTS.maxHeaderBytes,
      resolveHandler: (pattern) => this.findHandler(pattern),
      logger: this.logger,
    });
  }

  abstract health(): TransportHealth;

  /** Nest's status events are not used; listeners are accepted and ignored. */
  on(): void {
    return undefined;
  }

  /**
   * The handler bound to a message type. Types are plain strings, so this
   * is a map lookup; Nest's `getHandlerByPattern` first tries `JSON.parse`
   * on the pattern, which throws (and costs microseconds) for every
   * message with a non-JSON type such as `order.created`.
   */
  protected findHandler(pattern: string): MessageHandler | null {
    return (
      this.messageHandlers.get(pattern) ?? this.getHandlerByPattern(pattern)
    );
  }

  /** Patterns of the `@EventPattern` handlers bound to this server. */
  protected eventPatterns(): string[] {
    return [...this.messageHandlers.entries()]
      .filter(([, handler]) => handler.isEventHandler)
      .map(([pattern]) => pattern);
  }

  /** Patterns of the `@MessagePattern` (request-reply) handlers. */
  protected requestPatterns(): string[] {
    return [...this.messageHandlers.entries()]
      .filter(([, handler]) => !handler.isEventHandler)
      .map(([pattern]) => pattern);
  }

  protected logBinding(pattern: string, destination: string): void {
    this.logger.log(
      `${pattern} -> ${destination} (group ${this.consumerGroup})`,
    );
  }

  /** Waits for in-flight handlers, at most `shutdownTimeoutMs`. */
  protected async drainInFlight(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), this.shutdownTimeoutMs);
    });
    const drained = this.scheduler.drain().then(() => true as const);
    const finished = await Promise.race([drained, timedOut]);
    clearTimeout(timer);
    if (!finished) {
      this.logger.warn(
        `${this.scheduler.pending} message(s) still in flight after ` +
          `${this.shutdownTimeoutMs} ms; they will be redelivered`,
      );
    }
    return finished;
  }
}
