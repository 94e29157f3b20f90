export * from './workflow-signature';
export * from './workflow-step';
export * from './workflow.module';
export * from './workflow.options';
export * from './workflow.pruner';
export * from './workflow.tables';
export * from './workflows';
