import { Logger } from '@nestjs/common';
import { logLevel, type logCreator } from 'kafkajs';

/**
 * Sends kafkajs's log lines to Nest's Logger under the context `KafkaJS`.
 * kafkajs filters by its configured level before calling, so only the
 * mapping lives here. Extra fields are reduced to the error and the broker,
 * which is what an operator needs; kafkajs never logs message bodies.
 *
 * kafkajs logs every error response of a request at ERROR, also those it
 * then retries (a leader moving, a coordinator loading). Those arrive here
 * as WARN: what finally fails is reported where it fails.
 */
export function nestLogCreator(context = 'KafkaJS'): logCreator {
  const logger = new Logger(context);
  return () =>
    ({ namespace, level, log }) => {
      const { message, error, broker } = log as {
        message: string;
        error?: unknown;
        broker?: unknown;
      };
      const details = [
        error === undefined ? '' : ` error=${describe(error)}`,
        typeof broker === 'string' ? ` broker=${broker}` : '',
      ].join('');
      const line = `[${namespace}] ${message}${details}`;
      const retried =
        level === logLevel.ERROR &&
        namespace === 'Connection' &&
        message.startsWith('Response ');
      switch (retried ? logLevel.WARN : level) {
        case logLevel.ERROR:
          logger.error(line);
          break;
        case logLevel.WARN:
          logger.warn(line);
          break;
        case logLevel.INFO:
          logger.log(line);
          break;
        default:
          logger.debug(line);
      }
    };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
