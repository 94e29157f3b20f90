import { HealthModule } from '@app/health';
import { MessagingModule } from '@app/messaging';
import { InboxModule } from '@app/inbox';
import { OutboxModule } from '@app/outbox';
import { PlatformModule, serviceConfigModule } from '@app/platform';
import { SchedulingModule } from '@app/scheduling';
import { databasePoolSize, orderService, publishedTypes } from '@app/services';
import { Module } from '@nestjs/common';
import { join } from 'node:path';
import { inbox, jobRuns, ORDERS_SCHEMA, outbox } from './db/order.tables';
import { validateOrderConfig } from './order.config';
import { orderTopology } from './order.topology';
import { CreateOrderController } from './orders/create-order/create-order.controller';
import { CreateOrderService } from './orders/create-order/create-order.service';
import { IdempotencyKeysPruner } from './orders/create-order/idempotency-keys.pruner';
import { IdempotencyRepository } from './orders/create-order/idempotency.repository';
import { GetOrderController } from './orders/get-order/get-order.controller';
import { GetOrderService } from './orders/get-order/get-order.service';
import { PaymentStatusLookup } from './orders/get-order/payment-status.lookup';
import { OrderRepository } from './orders/order.repository';
import { PaymentDeadlineHandler } from './orders/settle-order/payment-deadline.handler';
import { PaymentResultsHandler } from './orders/settle-order/payment-results.handler';
import { SettleOrderService } from './orders/settle-order/settle-order.service';

const controllers = [CreateOrderController, GetOrderController];
/** Message handlers: one controller per consumed queue, one method per message type. */
const handlers = [PaymentResultsHandler, PaymentDeadlineHandler];
const services = [CreateOrderService, GetOrderService, SettleOrderService, PaymentStatusLookup];
const repositories = [OrderRepository, IdempotencyRepository];
/** Periodic jobs of the order service's own tables (the outbox and inbox prune themselves). */
const jobs = [IdempotencyKeysPruner];

@Module({
  imports: [
    serviceConfigModule(validateOrderConfig),
    PlatformModule.forRoot({
      service: orderService.name,
      // Resolved next to the bundle in dist/ and next to this file in a test run alike.
      database: {
        schema: ORDERS_SCHEMA,
        migrationsFolder: join(__dirname, 'db', 'migrations'),
        poolSize: databasePoolSize(orderService),
      },
    }),
    MessagingModule.forRoot({
      service: orderService.name,
      topology: orderTopology,
      publishes: publishedTypes(orderService),
    }),
    OutboxModule.forRoot({ schema: ORDERS_SCHEMA, table: outbox }),
    InboxModule.forRoot({ table: inbox }),
    SchedulingModule.forRoot({ table: jobRuns }),
    HealthModule,
  ],
  controllers: [...controllers, ...handlers],
  providers: [...services, ...repositories, ...jobs],
})
export class OrderModule {}
