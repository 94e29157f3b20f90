export * from './inbox.transaction';
export * from './message-log.pruner';
export * from './messaging.tables';
export * from './outbox.module';
export * from './outbox.monitor';
export * from './outbox.options';
export * from './outbox.relay';
export * from './outbox.writer';
