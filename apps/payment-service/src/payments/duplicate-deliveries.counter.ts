import { Injectable } from '@nestjs/common';

/**
 * Counts the `order.created` deliveries the inbox recognised as already
 * handled since this process started: redeliveries the broker made and
 * the inbox turned into no-ops. Shown in `GET /payments/stats`.
 */
@Injectable()
export class DuplicateDeliveries {
  private seen = 0;

  get count(): number {
    return this.seen;
  }

  record(): void {
    this.seen += 1;
  }
}
