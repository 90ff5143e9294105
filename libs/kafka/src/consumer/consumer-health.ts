import type { TransportHealth } from '@mq/core';

/**
 * The consumer's health as events show it. Up only while it is a member of
 * its group and has reached the coordinator recently: a consumer that
 * crashed, is rejoining or has lost the broker reports down rather than
 * sitting idle while looking healthy.
 */
export class ConsumerHealth {
  private phase: 'starting' | 'joined' | 'crashed' | 'closed' = 'starting';
  private reason = 'starting';
  private lastContact = 0;

  /** @param staleAfterMs silence after which contact counts as lost */
  constructor(
    private readonly staleAfterMs: number,
    private readonly describe: string,
  ) {}

  joined(): void {
    this.phase = 'joined';
    this.alive();
  }

  alive(): void {
    this.lastContact = Date.now();
  }

  crashed(reason: string): void {
    this.phase = 'crashed';
    this.reason = reason;
  }

  closed(): void {
    this.phase = 'closed';
    this.reason = 'closed';
  }

  report(): TransportHealth {
    if (this.phase !== 'joined') {
      return { status: 'down', detail: this.reason };
    }
    const silence = Date.now() - this.lastContact;
    if (silence > this.staleAfterMs) {
      return {
        status: 'down',
        detail: `no contact with the group coordinator for ${silence} ms`,
      };
    }
    return { status: 'up', detail: this.describe };
  }
}
