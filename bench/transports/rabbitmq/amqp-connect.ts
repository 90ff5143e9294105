import { connect, type AmqpConnectionManager } from 'amqp-connection-manager';

/** Longest wait for the first connection. */
const CONNECT_TIMEOUT_MS = 10_000;

/**
 * An amqp-connection-manager connection, once it is up. The manager
 * retries forever on its own; here a broker that does not answer in time
 * is an error, so an unreachable broker fails the run instead of hanging.
 */
export async function connectManager(
  url: string,
): Promise<AmqpConnectionManager> {
  const manager = connect([url], { heartbeatIntervalInSeconds: 5 });
  try {
    await manager.connect({ timeout: CONNECT_TIMEOUT_MS });
  } catch (error) {
    await manager.close();
    throw error;
  }
  return manager;
}
