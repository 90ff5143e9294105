import { join } from 'node:path';
import { freePort } from './free-port.js';
import {
  SERVICE_NAMES,
  serviceEntry,
  type ServiceName,
} from './repository-paths.js';
import { ServiceProcess } from './service-process.js';
import type { TransportChoice } from './transport-choice.js';

/** Everything the three services of one run share. */
export interface SagaSystemOptions {
  readonly databaseUrl: string;
  readonly transport: TransportChoice;
  /** MQ_NAMESPACE: keeps this run's schemas, topics and queues apart. */
  readonly namespace: string;
  /** Folder of the `<service>.log` files. */
  readonly logDir: string;
  /** Variables for every service, over the defaults below. */
  readonly env?: Readonly<Record<string, string>>;
  /** Variables for one service only, over everything else. */
  readonly serviceEnv?: Partial<
    Record<ServiceName, Readonly<Record<string, string>>>
  >;
  /** @default 60000 */
  readonly healthTimeoutMs?: number;
}

/**
 * Short retry delays, so that a demo with transient failures settles in
 * seconds; the caller's environment and `env` override them.
 */
const SERVICE_DEFAULTS: Readonly<Record<string, string>> = {
  MQ_RETRY_INITIAL_DELAY_MS: '200',
  MQ_RETRY_MAX_DELAY_MS: '2000',
};

/**
 * The saga's three services as separate processes on free ports, started
 * together; `start` resolves once every `/health` answers 200.
 */
export class SagaSystem {
  private constructor(
    readonly namespace: string,
    readonly logDir: string,
    private readonly services: Readonly<Record<ServiceName, ServiceProcess>>,
    private readonly healthTimeoutMs?: number,
  ) {}

  /**
   * Allocates ports and prepares the processes without starting them, so
   * a caller can register `stop` for cleanup before anything runs.
   */
  static async create(options: SagaSystemOptions): Promise<SagaSystem> {
    const entries = await Promise.all(
      SERVICE_NAMES.map(
        async (name) => [name, await serviceProcess(name, options)] as const,
      ),
    );
    return new SagaSystem(
      options.namespace,
      options.logDir,
      Object.fromEntries(entries) as Record<ServiceName, ServiceProcess>,
      options.healthTimeoutMs,
    );
  }

  /** `create` and `startAll`; stops what it started when that fails. */
  static async start(options: SagaSystemOptions): Promise<SagaSystem> {
    const system = await SagaSystem.create(options);
    try {
      await system.startAll();
    } catch (error) {
      await system.stop();
      throw error;
    }
    return system;
  }

  /** Starts the three processes and waits for every `/health`. */
  async startAll(): Promise<void> {
    for (const service of Object.values(this.services)) {
      service.start();
    }
    await Promise.all(
      Object.values(this.services).map((service) =>
        service.waitHealthy(this.healthTimeoutMs),
      ),
    );
  }

  service(name: ServiceName): ServiceProcess {
    return this.services[name];
  }

  url(name: ServiceName): string {
    return this.services[name].url;
  }

  /** Throws when a service died without being asked to. */
  assertRunning(): void {
    for (const service of Object.values(this.services)) {
      if (!service.stopRequested) {
        service.assertRunning();
      }
    }
  }

  /** Restarts one service after a stop or kill and waits for its health. */
  async restart(name: ServiceName): Promise<void> {
    const service = this.services[name];
    service.start();
    await service.waitHealthy(this.healthTimeoutMs);
  }

  /**
   * Stops every service together: SIGTERM, then SIGKILL for one still
   * running after the grace period. Nothing depends on the order: what one
   * service has not published yet stays in its outbox.
   */
  async stop(graceMs?: number): Promise<void> {
    await Promise.all(
      Object.values(this.services).map((service) => service.stop(graceMs)),
    );
  }

  /** Kills every service at once; for a second Ctrl-C. */
  async killAll(): Promise<void> {
    await Promise.all(
      Object.values(this.services).map((service) => service.kill('SIGKILL')),
    );
  }
}

async function serviceProcess(
  name: ServiceName,
  options: SagaSystemOptions,
): Promise<ServiceProcess> {
  return new ServiceProcess({
    name,
    entry: serviceEntry(name),
    port: await freePort(),
    logFile: join(options.logDir, `${name}.log`),
    env: {
      ...SERVICE_DEFAULTS,
      ...process.env,
      // Plain log files: Nest colours its output unless told not to.
      NO_COLOR: '1',
      ...options.env,
      ...options.transport.env,
      DATABASE_URL: options.databaseUrl,
      MQ_NAMESPACE: options.namespace,
      HOST: '127.0.0.1',
      ...options.serviceEnv?.[name],
    },
  });
}
