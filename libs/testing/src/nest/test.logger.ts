import { ConsoleLogger, type LogLevel } from '@nestjs/common';

/** The context Nest's RPC exception filter logs handler errors under. */
const RPC_EXCEPTIONS = 'RpcExceptionsHandler';

/**
 * Nest's console logger without the RPC exception filter's stack traces.
 * Tests fail handlers on purpose, and the transport already logs each
 * failure with the message id, attempt and error, so the filter's copy
 * only buries the lines worth reading.
 */
export class TestLogger extends ConsoleLogger {
  constructor(logLevels: LogLevel[]) {
    super({ logLevels });
  }

  override error(message: unknown, ...optionalParams: unknown[]): void {
    if (optionalParams.at(-1) === RPC_EXCEPTIONS) {
      return;
    }
    super.error(message, ...optionalParams);
  }
}
