import { Inject, Injectable } from '@nestjs/common';
import type { HealthReporter, TransportHealth } from '@mq/core';
import { OutboxRelay } from '@mq/outbox';
import { DataSource } from 'typeorm';
import {
  MESSAGING_TRANSPORT,
  type MessagingTransport,
} from '../transport/messaging-transport.js';
import { RESOLVED_SERVICE } from '../service-runtime.tokens.js';
import type { ResolvedService } from '../service-definition.js';
import type { HealthReport } from './health-report.js';

/** A database that does not answer in this time counts as down. */
const DATABASE_TIMEOUT_MS = 2000;

/** Collects the health of everything a service depends on. */
@Injectable()
export class HealthService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(MESSAGING_TRANSPORT) private readonly transport: MessagingTransport,
    private readonly relay: OutboxRelay,
    @Inject(RESOLVED_SERVICE) private readonly service: ResolvedService,
  ) {}

  async report(): Promise<HealthReport> {
    const checks: Record<string, TransportHealth> = {
      database: await this.database(),
      server: reporterHealth(this.transport.server),
      client: reporterHealth(this.transport.client),
      outbox: this.relay.health(),
    };
    const down = Object.values(checks).some((c) => c.status === 'down');
    return {
      status: down ? 'down' : 'up',
      service: this.service.name,
      transport: this.transport.name,
      checks,
    };
  }

  private async database(): Promise<TransportHealth> {
    if (!this.dataSource.isInitialized) {
      return { status: 'down', detail: 'not connected' };
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer in ${DATABASE_TIMEOUT_MS} ms`)),
        DATABASE_TIMEOUT_MS,
      );
    });
    try {
      await Promise.race([this.dataSource.query('SELECT 1'), timeout]);
      return { status: 'up', detail: `schema ${this.service.schema}` };
    } catch (error) {
      return { status: 'down', detail: errorMessage(error) };
    } finally {
      clearTimeout(timer);
    }
  }
}

/** A server or client that cannot tell its health is taken as up. */
function reporterHealth(component: object): TransportHealth {
  const reporter = component as Partial<HealthReporter>;
  if (typeof reporter.health !== 'function') {
    return { status: 'up', detail: 'does not report health' };
  }
  try {
    return reporter.health();
  } catch (error) {
    return { status: 'down', detail: errorMessage(error) };
  }
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
