import { IsISO8601, IsOptional } from 'class-validator';

/** Query of `GET /orders/stats`: `?since=2025-01-31T12:00:00Z`. */
export class OrderStatsQuery {
  /** Only orders placed at or after this time. */
  @IsOptional()
  @IsISO8601({ strict: true })
  since?: string;
}
