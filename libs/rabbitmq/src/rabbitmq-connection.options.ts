/** How a server, client or dead-letter store reaches RabbitMQ. */
export interface RabbitMqConnectionOptions {
  /**
   * AMQP URL, e.g. `amqp://user:pass@127.0.0.1:5672/vhost`. Credentials in
   * it are never logged. Required.
   */
  url: string;
  /**
   * Prefix of every exchange and queue name (`<prefix>.events`,
   * `<prefix>.<group>`, ...), so several systems or tests share one vhost.
   * @default 'mq'
   */
  prefix?: string;
  /**
   * Name the broker shows for the connection (client property
   * `connection_name`); operators and tests find the connection by it.
   * @default '<prefix>.<role>.<pid>.<random>'
   */
  connectionName?: string;
  /** AMQP heartbeat in seconds; a dead peer is noticed after about two. @default 5 */
  heartbeatSeconds?: number;
  /** Pause between reconnect attempts, in ms. @default 1000 */
  reconnectDelayMs?: number;
  /** Longest wait for the first connection, in ms. @default 10000 */
  connectTimeoutMs?: number;
}
