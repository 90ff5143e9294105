import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The broker operations tests need beyond AMQP. */
export interface BrokerAdmin {
  readonly kind: 'management-api' | 'rabbitmqctl';
  queues(): Promise<string[]>;
  exchanges(): Promise<string[]>;
  /** Client-provided names of the open connections. */
  connectionNames(): Promise<string[]>;
  /** Closes, from the broker's side, every connection with this client-provided name. */
  closeConnections(connectionName: string, reason: string): Promise<number>;
}

/**
 * The management HTTP API when the plugin answers (RABBITMQ_MANAGEMENT_URL,
 * else port 15672 of the AMQP host), otherwise `rabbitmqctl` on this
 * machine.
 */
export async function brokerAdmin(amqpUrl: string): Promise<BrokerAdmin> {
  const amqp = new URL(amqpUrl);
  const vhost = decodeURIComponent(amqp.pathname.slice(1)) || '/';
  const base =
    process.env.RABBITMQ_MANAGEMENT_URL ?? `http://${amqp.hostname}:15672`;
  const auth = Buffer.from(
    `${decodeURIComponent(amqp.username || 'guest')}:` +
      decodeURIComponent(amqp.password || 'guest'),
  ).toString('base64');
  const api = new ManagementApi(base, auth, vhost);
  return (await api.reachable()) ? api : new RabbitMqCtl(vhost);
}

class ManagementApi implements BrokerAdmin {
  readonly kind = 'management-api';

  constructor(
    private readonly base: string,
    private readonly auth: string,
    private readonly vhost: string,
  ) {}

  async reachable(): Promise<boolean> {
    try {
      const response = await this.request('GET', '/api/overview', 1000);
      return response.ok;
    } catch {
      // Nothing listens there: the plugin is not enabled.
      return false;
    }
  }

  async queues(): Promise<string[]> {
    return this.names(`/api/queues/${encodeURIComponent(this.vhost)}`);
  }

  async exchanges(): Promise<string[]> {
    return this.names(`/api/exchanges/${encodeURIComponent(this.vhost)}`);
  }

  async connectionNames(): Promise<string[]> {
    return (await this.connections()).flatMap(
      (c) => c.client_properties?.connection_name ?? [],
    );
  }

  async closeConnections(name: string, reason: string): Promise<number> {
    const connections = await this.connections();
    const matching = connections.filter(
      (c) => c.client_properties?.connection_name === name,
    );
    for (const connection of matching) {
      await this.request(
        'DELETE',
        `/api/connections/${encodeURIComponent(connection.name)}`,
        5000,
        { 'X-Reason': reason },
      );
    }
    return matching.length;
  }

  private async connections(): Promise<
    Array<{ name: string; client_properties?: { connection_name?: string } }>
  > {
    const response = await this.request('GET', '/api/connections');
    return (await response.json()) as Array<{
      name: string;
      client_properties?: { connection_name?: string };
    }>;
  }

  private async names(path: string): Promise<string[]> {
    const response = await this.request('GET', `${path}?columns=name`);
    const rows = (await response.json()) as Array<{ name: string }>;
    return rows.map((row) => row.name);
  }

  private async request(
    method: string,
    path: string,
    timeoutMs = 5000,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    const response = await fetch(`${this.base}${path}`, {
      method,
      headers: { authorization: `Basic ${this.auth}`, ...headers },
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok && method !== 'GET') {
      throw new Error(`${method} ${path}: HTTP ${response.status}`);
    }
    return response;
  }
}

class RabbitMqCtl implements BrokerAdmin {
  readonly kind = 'rabbitmqctl';

  constructor(private readonly vhost: string) {}

  queues(): Promise<string[]> {
    return this.lines(['list_queues', '-p', this.vhost, 'name']);
  }

  exchanges(): Promise<string[]> {
    return this.lines(['list_exchanges', '-p', this.vhost, 'name']);
  }

  async connectionNames(): Promise<string[]> {
    const rows = await this.lines(['list_connections', 'client_properties']);
    return rows.flatMap(
      (row) => /\{"connection_name","([^"]*)"\}/.exec(row)?.[1] ?? [],
    );
  }

  async closeConnections(name: string, reason: string): Promise<number> {
    const rows = await this.lines([
      'list_connections',
      'pid',
      'client_properties',
    ]);
    const marker = `{"connection_name","${name}"}`;
    const pids = rows
      .filter((row) => row.includes(marker))
      .map((row) => row.split('\t')[0]);
    for (const pid of pids) {
      await run('rabbitmqctl', ['close_connection', pid, reason]);
    }
    return pids.length;
  }

  private async lines(args: string[]): Promise<string[]> {
    const { stdout } = await run('rabbitmqctl', [
      '-q',
      ...args,
      '--no-table-headers',
    ]);
    return stdout.split('\n').filter((line) => line.length > 0);
  }
}
