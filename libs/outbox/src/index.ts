export * from './outbox.module';
export * from './outbox.monitor';
export * from './outbox.options';
export * from './outbox.pruner';
export * from './outbox.relay';
export * from './outbox.table';
export * from './outbox.writer';
