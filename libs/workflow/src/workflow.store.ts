import type { DatabaseTransactionHost } from '@app/platform';
import { TransactionHost } from '@nestjs-cls/transactional';
import { Inject, Injectable } from '@nestjs/common';
import { and, asc, eq, ne, sql } from 'drizzle-orm';
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

  async insert(workflow: NewWorkflow, steps: NewStep[]): Promise<void> {
    await this.txHost.tx.insert(this.workflows).values(workflow);
    await this.txHost.tx.insert(this.steps).values(steps);
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

  /** Marks the step SUCCEEDED with its result; false when it already was. */
  async succeed({ workflowId, step }: WorkflowStepRef, result: unknown): Promise<boolean> {
    const changed = await this.txHost.tx
      .update(this.steps)
      .set({ status: 'SUCCEEDED', result: result ?? null, error: null, updatedAt: sql`now()` })
      .where(and(this.is(workflowId, step), ne(this.steps.status, 'SUCCEEDED')))
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

  async hasFailedSteps(workflowId: string): Promise<boolean> {
    const [row] = await this.txHost.tx
      .select({ step: this.steps.step })
      .from(this.steps)
      .where(and(eq(this.steps.workflowId, workflowId), eq(this.steps.status, 'FAILED')))
      .limit(1);
    return row !== undefined;
  }

  /** The steps of a workflow, in order; only those of `stage` when given. */
  stepsOf(workflowId: string, stage?: number): Promise<WorkflowStepRow[]> {
    const inStage = stage === undefined ? undefined : eq(this.steps.stage, stage);
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
