import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import type { HealthReport } from './health-report.js';
import { HealthService } from './health.service.js';

/**
 * `GET /health`: 200 with the report when every check is up, 503 with the
 * same report when one is down, so a load balancer or the demo can wait on
 * it.
 */
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get()
  async check(): Promise<HealthReport> {
    const report = await this.health.report();
    if (report.status === 'down') {
      throw new ServiceUnavailableException(report);
    }
    return report;
  }
}
