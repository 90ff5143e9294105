// class-transformer's @Type reads design types through reflect-metadata.
import 'reflect-metadata';

export { Patterns, type SagaPattern } from './patterns.js';

export { Customer } from './shared/customer.js';
export { OrderItem } from './shared/order-item.js';
export { OrderLimits } from './shared/limits.js';
export { orderTotal, type PricedLine } from './shared/order-total.js';
export {
  EQUALS_ITEMS_TOTAL,
  EqualsItemsTotal,
} from './validators/equals-items-total.validator.js';
export { IsCurrencyCode } from './validators/is-currency-code.validator.js';
export { IsStorableText } from './validators/is-storable-text.validator.js';
export { IsEmailAddress } from './validators/is-email-address.validator.js';

export { OrderCreated } from './events/order-created.event.js';
export { PaymentSucceeded } from './events/payment-succeeded.event.js';
export { PaymentFailed } from './events/payment-failed.event.js';
export { OrderConfirmed } from './events/order-confirmed.event.js';
export { OrderCancelled } from './events/order-cancelled.event.js';

export { CreateOrderRequest } from './http/create-order.request.js';
