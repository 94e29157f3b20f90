import type { DatabaseTransactionHost } from '@app/platform';
import { TransactionHost } from '@nestjs-cls/transactional';
import { Inject, Injectable } from '@nestjs/common';
import { and, asc, eq, exists, inArray, ne, sql } from 'drizzle-orm';
import type { WorkflowStepRef } from './workflow-step';
import { WORKFLOW_OPTIONS, type WorkflowModuleOptions } from './workflow.options';
import type { WorkflowRow, WorkflowStepRow, WorkflowTables } from './workflow.tables';

type NewWorkflow = WorkflowTables['workflows']['$inferInsert'];
type NewStep = WorkflowTables['workflowSteps']['$inferInsert'];
type WorkflowChanges = Partial<Pick<WorkflowRow, 'status' | 'stage' | 'remaining'>> & {
  finished?: boolean;
};

/** The workflow tables, read and written in the caller's transaction. */
@Injectable()
export class WorkflowStore {
  private readonly workflows: WorkflowTables['workflows'];
  private readonly steps: WorkflowTables['workflowSteps'];

  constructor(
    @Inject(TransactionHost) private readonly txHost: DatabaseTransactionHost,
    @Inject(WORKFLOW_OPTIONS) options: WorkflowModuleOptions,
  ) {
    this.workflows = options.tables.workflows;
    this.steps = options.tables.workflowSteps;
  }

  /** Inserts the workflow and its steps; returns the steps as stored, in order. */
  async insert(workflow: NewWorkflow, steps: NewStep[]): Promise<WorkflowStepRow[]> {
    await this.txHost.tx.insert(this.workflows).values(workflow);
    const rows = await this.txHost.tx.insert(this.steps).values(steps).returning();
    return rows.sort((a, b) => a.step - b.step);
  }

  /**
   * The workflow, its row locked until the transaction ends: the steps of one workflow finish
   * one after the other, so exactly one of them sees its stage complete.
   */
  async lock(workflowId: string): Promise<WorkflowRow | undefined> {
    const [row] = await this.txHost.tx
      .select()
      .from(this.workflows)
      .where(eq(this.workflows.id, workflowId))
      .for('update');
    return row;
  }

  async update(workflowId: string, { finished, ...changes }: WorkflowChanges): Promise<void> {
    await this.txHost.tx
      .update(this.workflows)
      .set({ ...changes, ...(finished && { finishedAt: sql`now()` }) })
      .where(eq(this.workflows.id, workflowId));
  }

  /**
   * Sets the steps left in the current stage (and the stage, when it moves on); the workflow is
   * FAILED while a step of it is, RUNNING otherwise: the check is part of the same statement.
   */
  async advance(
    workflowId: string,
    changes: Pick<WorkflowRow, 'remaining'> & { stage?: number },
  ): Promise<void> {
    const failed = this.txHost.tx
      .select({ one: sql`1` })
      .from(this.steps)
      .where(and(eq(this.steps.workflowId, workflowId), eq(this.steps.status, 'FAILED')));
    await this.txHost.tx
      .update(this.workflows)
      .set({
        ...changes,
        status: sql`case when ${exists(failed)} then 'FAILED' else 'RUNNING' end`,
      })
      .where(eq(this.workflows.id, workflowId));
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
    const changed = await this.txHost.tx
      .update(this.steps)
      .set({ status: 'SUCCEEDED', result: result ?? null, error: null, updatedAt: sql`now()` })
      .where(
        and(
          this.is(workflowId, step),
          eq(this.steps.type, type),
          ne(this.steps.status, 'SUCCEEDED'),
        ),
      )
      .returning({ step: this.steps.step });
    return changed.length > 0;
  }

  /** Marks the step FAILED with the error, unless it has succeeded meanwhile; true if it changed. */
  async fail({ workflowId, step }: WorkflowStepRef, error: string): Promise<boolean> {
    const changed = await this.txHost.tx
      .update(this.steps)
      .set({ status: 'FAILED', error, updatedAt: sql`now()` })
      .where(and(this.is(workflowId, step), ne(this.steps.status, 'SUCCEEDED')))
      .returning({ step: this.steps.step });
    return changed.length > 0;
  }

  async markSent({ workflowId, step }: WorkflowStepRef, messageId: string): Promise<void> {
    await this.txHost.tx
      .update(this.steps)
      .set({ status: 'RUNNING', messageId, updatedAt: sql`now()` })
      .where(this.is(workflowId, step));
  }

  async find({ workflowId, step }: WorkflowStepRef): Promise<WorkflowStepRow | undefined> {
    const [row] = await this.txHost.tx.select().from(this.steps).where(this.is(workflowId, step));
    return row;
  }

  /** The steps of a workflow, in order; only those of the `stages` given, if any. */
  stepsOf(workflowId: string, ...stages: number[]): Promise<WorkflowStepRow[]> {
    const inStage = stages.length === 0 ? undefined : inArray(this.steps.stage, stages);
    return this.txHost.tx
      .select()
      .from(this.steps)
      .where(and(eq(this.steps.workflowId, workflowId), inStage))
      .orderBy(asc(this.steps.step));
  }

  async workflow(workflowId: string): Promise<WorkflowRow | undefined> {
    const [row] = await this.txHost.tx
      .select()
      .from(this.workflows)
      .where(eq(this.workflows.id, workflowId));
    return row;
  }

  private is(workflowId: string, step: number) {
    return and(eq(this.steps.workflowId, workflowId), eq(this.steps.step, step));
  }
}
