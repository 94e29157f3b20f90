import { HandlerTransaction } from '@app/messaging';
import { DynamicModule, Global, Module } from '@nestjs/common';
import { INBOX_OPTIONS, type InboxModuleOptions } from './inbox.options';
import { InboxPruner } from './inbox.pruner';
import { InboxTransaction } from './inbox.transaction';

/**
 * The inbox that makes message handlers idempotent: the HandlerTransaction the consumers run
 * each handler in, and the hourly pruning of old inbox rows.
 */
@Global()
@Module({})
export class InboxModule {
  static forRoot(options: InboxModuleOptions): DynamicModule {
    return {
      module: InboxModule,
      providers: [
        { provide: INBOX_OPTIONS, useValue: options },
        InboxTransaction,
        { provide: HandlerTransaction, useExisting: InboxTransaction },
        InboxPruner,
      ],
      exports: [HandlerTransaction, InboxPruner],
    };
  }
}
