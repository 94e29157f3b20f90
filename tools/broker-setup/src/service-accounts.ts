import {
  EVENTS_EXCHANGE,
  OrderCancelled,
  OrderCreated,
  OrderPaid,
  PaymentFailed,
  PaymentSucceeded,
  RPC_EXCHANGE,
} from '@app/contracts';
import { notificationTopology } from '../../../apps/notification/src/notification.topology';
import { orderTopology } from '../../../apps/order/src/order.topology';
import { paymentTopology } from '../../../apps/payment/src/payment.topology';
import type { ServiceAccess } from './service-permissions';

export type ServiceName = 'order' | 'payment' | 'notification';

export interface ServiceAccount extends ServiceAccess {
  service: ServiceName;
}

/**
 * One RabbitMQ user per service. A topology lists what its service consumes; what it publishes
 * is not in it, so it is listed here (exchanges, and event types as routing keys): keep it in
 * step when a service publishes somewhere new.
 */
export const SERVICE_ACCOUNTS: readonly ServiceAccount[] = [
  // Events through its outbox; payment.get-by-order requests over RPC.
  {
    service: 'order',
    topology: orderTopology,
    publishesTo: [EVENTS_EXCHANGE, RPC_EXCHANGE],
    publishesEvents: [OrderCreated.type, OrderPaid.type, OrderCancelled.type],
  },
  {
    service: 'payment',
    topology: paymentTopology,
    publishesTo: [EVENTS_EXCHANGE],
    publishesEvents: [PaymentSucceeded.type, PaymentFailed.type],
  },
  // Delivery jobs go straight to its own work queue, through the default exchange.
  {
    service: 'notification',
    topology: notificationTopology,
    publishesTo: [''],
    publishesEvents: [],
  },
];

/** The user a service connects as; the prefix keeps test users apart from real ones. */
export function serviceUserName(prefix: string, service: ServiceName): string {
  return `${prefix}${service}`;
}
