import { HealthModule } from '@app/health';
import { MessagingModule } from '@app/messaging';
import { InboxModule } from '@app/inbox';
import { OutboxModule } from '@app/outbox';
import { PlatformModule, serviceConfigModule } from '@app/platform';
import { SchedulingModule } from '@app/scheduling';
import { databasePoolSize, paymentService, publishedTypes } from '@app/services';
import { Module } from '@nestjs/common';
import { join } from 'node:path';
import { inbox, jobRuns, outbox, PAYMENTS_SCHEMA } from './db/payment.tables';
import { validatePaymentConfig } from './payment.config';
import { paymentTopology } from './payment.topology';
import { ListPaymentsController } from './payments/list-payments/list-payments.controller';
import { PaymentRepository } from './payments/payment.repository';
import { GetPaymentByOrderResponder } from './payments/payment-status/get-payment-by-order.responder';
import { PaymentStatusService } from './payments/payment-status/payment-status.service';
import { OrderCreatedHandler } from './payments/process-payment/order-created.handler';
import { ProcessPaymentService } from './payments/process-payment/process-payment.service';
import { RefundPaymentService } from './payments/refund-payment/refund-payment.service';
import { RefundRequestedHandler } from './payments/refund-payment/refund-requested.handler';
import { CircuitBreakingPaymentProvider } from './provider/circuit-breaking-payment.provider';
import { FakePaymentProvider } from './provider/fake-payment.provider';
import { PaymentProvider } from './provider/payment-provider';

const controllers = [ListPaymentsController];
/** Message handlers: one controller per consumed queue, one method per message type. */
const handlers = [OrderCreatedHandler, RefundRequestedHandler, GetPaymentByOrderResponder];
const services = [ProcessPaymentService, RefundPaymentService, PaymentStatusService];
const repositories = [PaymentRepository];
const adapters = [
  FakePaymentProvider,
  {
    provide: PaymentProvider,
    inject: [FakePaymentProvider],
    useFactory: (provider: FakePaymentProvider) => new CircuitBreakingPaymentProvider(provider),
  },
];

@Module({
  imports: [
    serviceConfigModule(validatePaymentConfig),
    PlatformModule.forRoot({
      service: paymentService.name,
      database: {
        schema: PAYMENTS_SCHEMA,
        migrationsFolder: join(__dirname, 'db', 'migrations'),
        poolSize: databasePoolSize(paymentService),
      },
    }),
    MessagingModule.forRoot({
      service: paymentService.name,
      topology: paymentTopology,
      publishes: publishedTypes(paymentService),
    }),
    OutboxModule.forRoot({ schema: PAYMENTS_SCHEMA, table: outbox }),
    InboxModule.forRoot({ table: inbox }),
    SchedulingModule.forRoot({ table: jobRuns }),
    HealthModule,
  ],
  controllers: [...controllers, ...handlers],
  providers: [...services, ...repositories, ...adapters],
})
export class PaymentModule {}
