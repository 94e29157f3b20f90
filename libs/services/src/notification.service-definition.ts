import { CompleteConfirmation, DeliverNotification, EVENTS_EXCHANGE } from '@app/contracts';
import { consumerQueue } from '@app/messaging';
import { defineService } from './service-definition';

const DELIVERIES = 'notification.deliver';

/** Records a notification per order event, and delivers each through a work queue of jobs. */
export const notificationService = defineService({
  name: 'notification',
  port: 3002,
  database: {
    schema: 'notifications',
    tables: {
      notifications: 'notifications',
      orderConfirmations: 'order_confirmations',
      dailySummaries: 'daily_summaries',
    },
  },
  queues: {
    orderEvents: consumerQueue({
      name: 'notification.order-events',
      exchange: EVENTS_EXCHANGE,
      prefetch: 10,
    }),
    /**
     * A work queue of delivery jobs, sent straight to it; workers compete for them. An order's
     * confirmation is a chord of them: a delivery per channel, then its completion.
     */
    deliveries: consumerQueue({ name: DELIVERIES, prefetch: 5 }),
  },
  // Delivery jobs go to its own work queue, through the default exchange.
  publishes: {
    jobs: [
      { contract: DeliverNotification, queue: DELIVERIES },
      { contract: CompleteConfirmation, queue: DELIVERIES },
    ],
  },
  broker: { passwordVariable: 'NOTIFICATION_RABBITMQ_PASSWORD' },
});
