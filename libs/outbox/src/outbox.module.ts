import { DynamicModule, Global, Module } from '@nestjs/common';
import { OutboxMonitor, outboxMetricProviders } from './outbox.monitor';
import { OUTBOX_OPTIONS, type OutboxModuleOptions } from './outbox.options';
import { OutboxPruner } from './outbox.pruner';
import { OutboxRelay } from './outbox.relay';
import { OutboxWriter } from './outbox.writer';

/** The transactional outbox: the writer, the relay that publishes, its monitor and pruning. */
@Global()
@Module({})
export class OutboxModule {
  static forRoot(options: OutboxModuleOptions): DynamicModule {
    return {
      module: OutboxModule,
      providers: [
        OutboxPruner,
        OutboxMonitor,
        ...outboxMetricProviders,
        { provide: OUTBOX_OPTIONS, useValue: options },
        OutboxWriter,
        OutboxRelay,
      ],
      exports: [OUTBOX_OPTIONS, OutboxWriter, OutboxRelay, OutboxMonitor, OutboxPruner],
    };
  }
}
