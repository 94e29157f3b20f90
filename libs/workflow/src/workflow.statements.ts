import type { StatementBuilder } from '@app/platform';
import { and, eq, exists, sql } from 'drizzle-orm';
import type { WorkflowTables } from './workflow.tables';

/**
 * The statements WorkflowStore runs on the workflows table, written once with placeholders
 * (TransactionStatements builds each once; every step of every workflow runs them). Each takes
 * the service's workflow tables, so a service's own schema is the one written.
 */

const param = sql.placeholder;

/** A new workflow's row. */
export const insertWorkflow = ({ workflows }: WorkflowTables) => {
  return (db: StatementBuilder) =>
    db.insert(workflows).values({
      id: param('id'),
      status: param('status'),
      stage: param('stage'),
      stages: param('stages'),
      remaining: param('remaining'),
    });
};

export const selectWorkflow = ({ workflows }: WorkflowTables) => {
  return (db: StatementBuilder) =>
    db
      .select()
      .from(workflows)
      .where(eq(workflows.id, param('workflowId')));
};

/**
 * Sets the workflow's columns whose change is given; a change given as null keeps its column's
 * value, so one statement serves every combination of changes.
 */
export const updateWorkflow = ({ workflows }: WorkflowTables) => {
  return (db: StatementBuilder) =>
    db
      .update(workflows)
      .set({
        status: sql`coalesce(${param('status')}, ${workflows.status})`,
        stage: sql`coalesce(${param('stage')}, ${workflows.stage})`,
        remaining: sql`coalesce(${param('remaining')}, ${workflows.remaining})`,
        finishedAt: sql`case when ${param('finished')} then now() else ${workflows.finishedAt} end`,
      })
      .where(eq(workflows.id, param('workflowId')));
};

/** The remaining steps (and the stage, unless null); FAILED while a step of it is. */
export const advanceWorkflow = ({ workflows, workflowSteps: steps }: WorkflowTables) => {
  return (db: StatementBuilder) => {
    const failed = db
      .select({ one: sql`1` })
      .from(steps)
      .where(and(eq(steps.workflowId, param('workflowId')), eq(steps.status, 'FAILED')));
    return db
      .update(workflows)
      .set({
        remaining: sql`${param('remaining')}`,
        stage: sql`coalesce(${param('stage')}, ${workflows.stage})`,
        status: sql`case when ${exists(failed)} then 'FAILED' else 'RUNNING' end`,
      })
      .where(eq(workflows.id, param('workflowId')));
  };
};

/**
 * One step fewer left in the current stage, the row returned as the count leaves it. An update
 * takes the row's lock, so the steps of a stage count down one after the other and exactly one
 * sees 0. The status is left alone: a statement that waited for the lock judges the other rows
 * it reads as they were before it waited, so it could not tell whether a step failed meanwhile.
 */
export const countDownWorkflow = ({ workflows }: WorkflowTables) => {
  return (db: StatementBuilder) =>
    db
      .update(workflows)
      .set({ remaining: sql`${workflows.remaining} - 1` })
      .where(eq(workflows.id, param('workflowId')))
      .returning();
};
