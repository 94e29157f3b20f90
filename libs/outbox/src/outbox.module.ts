import { HandlerTransaction } from '@app/messaging';
import { DynamicModule, Global, Module } from '@nestjs/common';
import { InboxTransaction } from './inbox.transaction';
import { OUTBOX_OPTIONS, type OutboxModuleOptions } from './outbox.options';
import { OutboxRelay } from './outbox.relay';
import { OutboxWriter } from './outbox.writer';

/** The transactional outbox (writer and relay) and the inbox that makes handlers idempotent. */
@Global()
@Module({})
export class OutboxModule {
  static forRoot(options: OutboxModuleOptions): DynamicModule {
    return {
      module: OutboxModule,
      providers: [
        { provide: OUTBOX_OPTIONS, useValue: options },
        OutboxWriter,
        OutboxRelay,
        InboxTransaction,
        { provide: HandlerTransaction, useExisting: InboxTransaction },
      ],
      exports: [OUTBOX_OPTIONS, OutboxWriter, OutboxRelay, HandlerTransaction],
    };
  }
}
