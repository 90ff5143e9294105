import { BaseRpcContext } from '@nestjs/microservices';
import type { Envelope } from '../envelope/envelope.js';

/** Delivery facts a handler may want beside the envelope. */
export interface DeliveryInfo {
  /** Topic, queue, stream or table the message came from. */
  readonly destination: string;
  readonly consumerGroup: string;
  /** 1 for the first delivery, 2 for the first retry, and so on. */
  readonly attempt: number;
}

/** The `@Ctx()` argument every transport of this project passes to handlers. */
export class MessageContext extends BaseRpcContext<[Envelope, DeliveryInfo]> {
  getEnvelope(): Envelope {
    return this.args[0];
  }

  getDelivery(): DeliveryInfo {
    return this.args[1];
  }

  getAttempt(): number {
    return this.args[1].attempt;
  }
}
