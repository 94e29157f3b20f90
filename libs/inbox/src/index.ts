export * from './inbox.module';
export * from './inbox.options';
export * from './inbox.pruner';
export * from './inbox.table';
export * from './inbox.transaction';
