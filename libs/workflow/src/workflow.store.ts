import { TransactionStatements } from '@app/platform';
import { Inject, Injectable } from '@nestjs/common';
import {
  failStep,
  insertSteps,
  jsonbParameter,
  markStepSent,
  selectStep,
  selectSteps,
  selectStepsOfStages,
  succeedStep,
} from './workflow-step.statements';
import type { WorkflowStepRef } from './workflow-step';
import { WORKFLOW_OPTIONS, type WorkflowModuleOptions } from './workflow.options';
import {
  advanceWorkflow,
  countDownWorkflow,
  insertWorkflow,
  selectWorkflow,
  updateWorkflow,
} from './workflow.statements';
import type { WorkflowRow, WorkflowStepRow, WorkflowTables } from './workflow.tables';

type NewWorkflow = Pick<WorkflowRow, 'id' | 'status' | 'stage' | 'stages' | 'remaining'>;
type NewStep = Pick<
  WorkflowTables['workflowSteps']['$inferInsert'],
  | 'workflowId'
  | 'step'
  | 'stage'
  | 'grouped'
  | 'type'
  | 'queue'
  | 'payload'
  | 'status'
  | 'messageId'
>;
type WorkflowChanges = Partial<Pick<WorkflowRow, 'status' | 'stage' | 'remaining'>> & {
  finished?: boolean;
};

/** Every statement of the store, built once for the service's workflow tables. */
function prepareAll(statements: TransactionStatements, tables: WorkflowTables) {
  return {
    insertWorkflow: statements.prepare(insertWorkflow(tables)),
    insertSteps: statements.prepare(insertSteps(tables)),
    selectWorkflow: statements.prepare(selectWorkflow(tables)),
    updateWorkflow: statements.prepare(updateWorkflow(tables)),
    advanceWorkflow: statements.prepare(advanceWorkflow(tables)),
    succeedStep: statements.prepare(succeedStep(tables)),
    failStep: statements.prepare(failStep(tables)),
    markStepSent: statements.prepare(markStepSent(tables)),
    selectStep: statements.prepare(selectStep(tables)),
    selectSteps: statements.prepare(selectSteps(tables)),
    selectStepsOfStages: statements.prepare(selectStepsOfStages(tables)),
    countDownWorkflow: statements.prepare(countDownWorkflow(tables)),
  };
}

/**
 * The workflow tables, read and written in the caller's transaction: every step of every
 * workflow runs these statements, so each is built once (TransactionStatements) and runs on the
 * transaction open in the caller's context.
 */
@Injectable()
export class WorkflowStore {
  private readonly statements: ReturnType<typeof prepareAll>;

  constructor(
    @Inject(WORKFLOW_OPTIONS) options: WorkflowModuleOptions,
    statements: TransactionStatements,
  ) {
    this.statements = prepareAll(statements, options.tables);
  }

  /** Inserts the workflow and its steps; returns the steps as stored, in order. */
  async insert(workflow: NewWorkflow, steps: NewStep[]): Promise<WorkflowStepRow[]> {
    await this.statements.insertWorkflow.execute(workflow);
    const rows = await this.statements.insertSteps.execute({ steps: JSON.stringify(steps) });
    return rows.sort((a, b) => a.step - b.step);
  }

  async update(workflowId: string, { finished, ...changes }: WorkflowChanges): Promise<void> {
    await this.statements.updateWorkflow.execute({
      workflowId,
      status: changes.status ?? null,
      stage: changes.stage ?? null,
      remaining: changes.remaining ?? null,
      finished: finished ?? false,
    });
  }

  /**
   * Sets the steps left in the current stage (and the stage, when it moves on); the workflow is
   * FAILED while a step of it is, RUNNING otherwise: the check is part of the same statement.
   */
  async advance(
    workflowId: string,
    changes: Pick<WorkflowRow, 'remaining'> & { stage?: number },
  ): Promise<void> {
    await this.statements.advanceWorkflow.execute({
      workflowId,
      remaining: changes.remaining,
      stage: changes.stage ?? null,
    });
  }

  /**
   * Marks the step of `type` SUCCEEDED with its result; false when it did not change (it had
   * already succeeded, or is no step of that type).
   */
  async succeed(
    { workflowId, step }: WorkflowStepRef,
    type: string,
    result: unknown,
  ): Promise<boolean> {
    const changed = await this.statements.succeedStep.execute({
      workflowId,
      step,
      type,
      result: jsonbParameter(result),
    });
    return changed.length > 0;
  }

  /** Marks the step FAILED with the error, unless it has succeeded meanwhile; true if it changed. */
  async fail({ workflowId, step }: WorkflowStepRef, error: string): Promise<boolean> {
    const changed = await this.statements.failStep.execute({ workflowId, step, error });
    return changed.length > 0;
  }

  async markSent({ workflowId, step }: WorkflowStepRef, messageId: string): Promise<void> {
    await this.statements.markStepSent.execute({ workflowId, step, messageId });
  }

  async find({ workflowId, step }: WorkflowStepRef): Promise<WorkflowStepRow | undefined> {
    const [row] = await this.statements.selectStep.execute({ workflowId, step });
    return row;
  }

  /** The steps of a workflow, in order; only those of the `stages` given, if any. */
  stepsOf(workflowId: string, ...stages: number[]): Promise<WorkflowStepRow[]> {
    return stages.length === 0
      ? this.statements.selectSteps.execute({ workflowId })
      : this.statements.selectStepsOfStages.execute({ workflowId, stages });
  }

  async workflow(workflowId: string): Promise<WorkflowRow | undefined> {
    const [row] = await this.statements.selectWorkflow.execute({ workflowId });
    return row;
  }

  /**
   * One step fewer left in the workflow's current stage; the row as that leaves it, locked until
   * the transaction ends, so exactly one of a stage's steps sees 0. Its status is not changed.
   */
  async countDown(workflowId: string): Promise<WorkflowRow> {
    const [row] = await this.statements.countDownWorkflow.execute({ workflowId });
    // Only a step's success counts down, and a step's row holds its workflow's (a foreign key).
    if (!row) throw new Error(`workflow ${workflowId} is gone while a step of it succeeds`);
    return row;
  }
}
