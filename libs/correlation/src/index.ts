export * from './correlation-context';
export * from './correlation-headers';
export * from './correlation-logging';
export * from './correlation.middleware';
export * from './pretty-log-lines';
export * from './printable';
