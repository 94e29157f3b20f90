import { HandlerResultListener } from '@app/messaging';
import { DynamicModule, Global, Module } from '@nestjs/common';
import { StepDispatcher } from './step-dispatcher';
import { WorkflowDeadLetters } from './workflow-dead-letters';
import { WorkflowProgress } from './workflow-progress';
import { WorkflowStepResults } from './workflow-step-results';
import { WORKFLOW_OPTIONS, type WorkflowModuleOptions } from './workflow.options';
import { WorkflowStore } from './workflow.store';
import { WorkflowPruner } from './workflow.pruner';
import { Workflows } from './workflows';

/**
 * Workflows (chain, group, chord) over the service's work queues, on its outbox and inbox: the
 * Workflows starter, the listener that records each step's result in its handler's
 * transaction, the dead-letter listener that records a failed step, and the pruner of
 * succeeded workflows.
 */
@Global()
@Module({})
export class WorkflowModule {
  static forRoot(options: WorkflowModuleOptions): DynamicModule {
    return {
      module: WorkflowModule,
      providers: [
        { provide: WORKFLOW_OPTIONS, useValue: options },
        WorkflowStore,
        StepDispatcher,
        WorkflowProgress,
        Workflows,
        // A DeadLetterListener: the consumers find it among the providers.
        WorkflowDeadLetters,
        WorkflowPruner,
        WorkflowStepResults,
        { provide: HandlerResultListener, useExisting: WorkflowStepResults },
      ],
      exports: [Workflows, HandlerResultListener, WorkflowPruner],
    };
  }
}
