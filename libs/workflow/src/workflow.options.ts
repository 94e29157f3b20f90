import type { MessageContract } from '@app/contracts';
import type { WorkflowTables } from './workflow.tables';

export const WORKFLOW_OPTIONS = Symbol('WORKFLOW_OPTIONS');

export interface WorkflowModuleOptions {
  /** The service's workflow tables (workflowTables(schema) in its table file). */
  tables: WorkflowTables;
  /**
   * The jobs the service sends to its own work queues (its definition's `publishes.jobs`): a
   * step is one of them, so its queue is named once, in the service registry.
   */
  jobs: readonly { readonly contract: MessageContract; readonly queue: string }[];
}
