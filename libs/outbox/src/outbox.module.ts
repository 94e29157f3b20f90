import { HandlerTransaction } from '@app/messaging';
import { DynamicModule, Global, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { InboxTransaction } from './inbox.transaction';
import { MessageLogPruner } from './message-log.pruner';
import { OutboxMonitor, outboxGauges } from './outbox.monitor';
import { OUTBOX_OPTIONS, type OutboxModuleOptions } from './outbox.options';
import { OutboxRelay } from './outbox.relay';
import { OutboxWriter } from './outbox.writer';

/**
 * The transactional outbox (writer and relay), the inbox that makes handlers idempotent, and
 * the hourly pruning of both.
 */
@Global()
@Module({})
export class OutboxModule {
  static forRoot(options: OutboxModuleOptions): DynamicModule {
    return {
      module: OutboxModule,
      imports: [ScheduleModule.forRoot()],
      providers: [
        MessageLogPruner,
        OutboxMonitor,
        ...outboxGauges,
        { provide: OUTBOX_OPTIONS, useValue: options },
        OutboxWriter,
        OutboxRelay,
        InboxTransaction,
        { provide: HandlerTransaction, useExisting: InboxTransaction },
      ],
      exports: [
        OUTBOX_OPTIONS,
        OutboxWriter,
        OutboxRelay,
        OutboxMonitor,
        MessageLogPruner,
        HandlerTransaction,
      ],
    };
  }
}
