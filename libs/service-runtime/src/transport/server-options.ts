import type { ReliableServerOptions } from '@mq/core';
import type { TransportSettings } from './messaging-transport.js';

/** The options every transport's server takes, from the runtime config. */
export function commonServerOptions({
  config,
  service,
}: TransportSettings): ReliableServerOptions {
  return {
    consumerGroup: service.consumerGroup,
    concurrency: config.concurrency,
    retry: {
      maxAttempts: config.retry.maxAttempts,
      initialDelayMs: config.retry.initialDelayMs,
      maxDelayMs: Math.max(
        config.retry.maxDelayMs,
        config.retry.initialDelayMs,
      ),
    },
  };
}
