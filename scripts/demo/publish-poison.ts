import { randomUUID } from 'node:crypto';
import { Patterns } from '@mq/contracts';
import { HeaderNames } from '@mq/core';
import type { BrokerNamespace } from './broker-namespace.js';
import { withPublisher, type PublisherTarget } from './saga-publisher.js';

/** How many poison messages of each kind went out. */
export interface PoisonSent {
  /** `order.created` envelopes whose payload fails validation. */
  readonly invalidPayload: number;
  /** `order.created` messages whose body is not JSON at all. */
  readonly notJson: number;
}

/**
 * Sends `count` messages payment-service cannot handle, which its
 * transport must dead-letter at once: every even one a well-formed
 * envelope whose `order.created` payload fails validation, published with
 * the services' own transport client; every odd one a body that is not
 * JSON, published as raw bytes through the transport's test kit.
 */
export async function publishPoison(
  count: number,
  target: PublisherTarget,
  broker: BrokerNamespace,
): Promise<PoisonSent> {
  const notJson = Math.floor(count / 2);
  const invalidPayload = count - notJson;
  if (invalidPayload > 0) {
    await withPublisher(target, async (client) => {
      for (let n = 0; n < invalidPayload; n += 1) {
        const key = randomUUID();
        await client.publishEvent(
          Patterns.orderCreated,
          { orderId: 'not-a-uuid', items: [], currency: 'euro', total: -1 },
          { key },
        );
      }
    });
  }
  for (let n = 0; n < notJson; n += 1) {
    const id = randomUUID();
    await broker.publishRaw(
      Patterns.orderCreated,
      {
        [HeaderNames.id]: id,
        [HeaderNames.type]: Patterns.orderCreated,
        [HeaderNames.key]: id,
        [HeaderNames.occurredAt]: new Date().toISOString(),
        [HeaderNames.contentType]: 'application/json',
      },
      Buffer.from(`{"orderId": "${id}", this is not JSON`),
    );
  }
  return { invalidPayload, notJson };
}
