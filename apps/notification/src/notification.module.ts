import { HealthModule } from '@app/health';
import { MessagingModule } from '@app/messaging';
import { InboxModule } from '@app/inbox';
import { OutboxModule } from '@app/outbox';
import { PlatformModule, serviceConfigModule } from '@app/platform';
import { SchedulingModule } from '@app/scheduling';
import { WorkflowModule } from '@app/workflow';
import { databasePoolSize, notificationService, publishedTypes } from '@app/services';
import { Module } from '@nestjs/common';
import { join } from 'node:path';
import {
  inbox,
  jobRuns,
  NOTIFICATIONS_SCHEMA,
  outbox,
  workflowSteps,
  workflows,
} from './db/notification.tables';
import { validateNotificationConfig } from './notification.config';
import { notificationTopology } from './notification.topology';
import { CompleteConfirmationHandler } from './notifications/confirm-order/complete-confirmation.handler';
import { OrderConfirmationRepository } from './notifications/confirm-order/order-confirmation.repository';
import { OrderConfirmationService } from './notifications/confirm-order/order-confirmation.service';
import { DeliverNotificationHandler } from './notifications/deliver-notification/deliver-notification.handler';
import { DeliverNotificationService } from './notifications/deliver-notification/deliver-notification.service';
import { DeliveryJobsService } from './notifications/deliver-notification/delivery-jobs.service';
import { DeliveryDeadLetters } from './notifications/deliver-notification/delivery-dead-letters.listener';
import { ListNotificationsController } from './notifications/list-notifications/list-notifications.controller';
import { NotificationRepository } from './notifications/notification.repository';
import { OrderEventsHandler } from './notifications/record-notification/order-events.handler';
import { RecordNotificationService } from './notifications/record-notification/record-notification.service';
import { FakeNotificationSender } from './sender/fake-notification.sender';
import { DailySummaryJob } from './summaries/daily-summary/daily-summary.job';
import { DailySummaryRepository } from './summaries/daily-summary/daily-summary.repository';
import { DailySummaryService } from './summaries/daily-summary/daily-summary.service';
import { NotificationSender } from './sender/notification-sender';
import { TimeLimitedNotificationSender } from './sender/time-limited-notification.sender';

const controllers = [ListNotificationsController];
/**
 * Message handlers: one method per message type, in a controller naming its queue; a queue's
 * types may be handled in several features' controllers (the delivery jobs and the confirmation).
 */
const handlers = [OrderEventsHandler, DeliverNotificationHandler, CompleteConfirmationHandler];
const services = [
  RecordNotificationService,
  DeliverNotificationService,
  DeliveryJobsService,
  OrderConfirmationService,
  DailySummaryService,
];
const repositories = [NotificationRepository, OrderConfirmationRepository, DailySummaryRepository];
/** Dead-letter listeners: what a dead-lettered message means here, told with its copy. */
const listeners = [DeliveryDeadLetters];
/** Periodic jobs: one provider per job, its method thin, calling a service. */
const jobs = [DailySummaryJob];
const adapters = [
  FakeNotificationSender,
  {
    provide: NotificationSender,
    inject: [FakeNotificationSender],
    useFactory: (sender: FakeNotificationSender) => new TimeLimitedNotificationSender(sender),
  },
];

@Module({
  imports: [
    serviceConfigModule(validateNotificationConfig),
    PlatformModule.forRoot({
      service: notificationService.name,
      database: {
        schema: NOTIFICATIONS_SCHEMA,
        migrationsFolder: join(__dirname, 'db', 'migrations'),
        poolSize: databasePoolSize(notificationService),
      },
    }),
    MessagingModule.forRoot({
      service: notificationService.name,
      topology: notificationTopology,
      publishes: publishedTypes(notificationService),
    }),
    OutboxModule.forRoot({ schema: NOTIFICATIONS_SCHEMA, table: outbox }),
    InboxModule.forRoot({ table: inbox }),
    WorkflowModule.forRoot({
      tables: { workflows, workflowSteps },
      jobs: notificationService.publishes.jobs,
    }),
    SchedulingModule.forRoot({ table: jobRuns }),
    HealthModule,
  ],
  controllers: [...controllers, ...handlers],
  providers: [...services, ...repositories, ...listeners, ...jobs, ...adapters],
})
export class NotificationModule {}
