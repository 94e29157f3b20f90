import type { StatementBuilder } from '@app/platform';
import { and, asc, eq, inArray, isNotNull, ne, sql } from 'drizzle-orm';
import type { WorkflowTables } from './workflow.tables';

/**
 * The statements WorkflowStore runs on the steps table, written once with placeholders, like
 * those on the workflows table. A step is named by `workflowId` and `step`.
 */

const param = sql.placeholder;

type Steps = WorkflowTables['workflowSteps'];

const isStep = (steps: Steps) =>
  and(eq(steps.workflowId, param('workflowId')), eq(steps.step, param('step')));

/**
 * A jsonb value as its text, or null for SQL NULL: used through `sql` so drizzle's jsonb encoder,
 * which would also send `null` as the JSON `null`, is not applied to the placeholder.
 */
export function jsonbParameter(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

/**
 * Every step of a workflow in one statement of a fixed shape, however many steps: they go as one
 * jsonb array (`steps`, the text of the rows keyed like the table's fields), a row each; a JSON
 * null or missing payload is SQL NULL, as in a multi-row VALUES; so is a missing messageId (a
 * step of a later stage, whose job is not sent yet). An insert from a select names every column
 * and a select has no DEFAULT, so the columns a new step has no value for get what the table's
 * defaults give: null, and now() for updated_at.
 */
export const insertSteps = ({ workflowSteps: steps }: WorkflowTables) => {
  const input = sql`jsonb_to_recordset(${param('steps')}::jsonb) as input("workflowId" uuid, "step" integer, "stage" integer, "grouped" boolean, "type" text, "queue" text, "payload" jsonb, "status" text, "messageId" uuid)`;
  const field = (name: string) => sql`input.${sql.identifier(name)}`.as(name);
  return (db: StatementBuilder) =>
    db
      .insert(steps)
      .select(
        db
          .select({
            workflowId: field('workflowId'),
            step: field('step'),
            stage: field('stage'),
            grouped: field('grouped'),
            type: field('type'),
            queue: field('queue'),
            payload: field('payload'),
            status: field('status'),
            messageId: field('messageId'),
            result: sql`null::jsonb`.as('result'),
            error: sql`null::text`.as('error'),
            updatedAt: sql`now()`.as('updatedAt'),
          })
          .from(input),
      )
      .returning();
};

/**
 * A step whose job has been sent (it holds the job's messageId) and has not yet succeeded:
 * RUNNING, or FAILED and replayed. A job naming a step whose job was never sent, one still
 * WAITING or one FAILED because its job could not be, is forged or sent by hand: it must not
 * finish that step.
 */
const underWay = (steps: Steps) =>
  and(isNotNull(steps.messageId), inArray(steps.status, ['RUNNING', 'FAILED']));

/** Marks the step SUCCEEDED with its `result` if it is of `type` and under way. */
export const succeedStep = ({ workflowSteps: steps }: WorkflowTables) => {
  return (db: StatementBuilder) =>
    db
      .update(steps)
      .set({
        status: 'SUCCEEDED',
        result: sql`${param('result')}`,
        error: null,
        updatedAt: sql`now()`,
      })
      .where(and(isStep(steps), eq(steps.type, param('type')), underWay(steps)))
      .returning({ step: steps.step });
};

/**
 * Marks the step FAILED with its `error` unless it has succeeded: one whose job gave up, or
 * one still WAITING whose job could not be sent (its stage's results do not fit it).
 */
export const failStep = ({ workflowSteps: steps }: WorkflowTables) => {
  return (db: StatementBuilder) =>
    db
      .update(steps)
      .set({ status: 'FAILED', error: sql`${param('error')}`, updatedAt: sql`now()` })
      .where(and(isStep(steps), ne(steps.status, 'SUCCEEDED')))
      .returning({ step: steps.step });
};

/** The step's job is in the outbox as `messageId`. */
export const markStepSent = ({ workflowSteps: steps }: WorkflowTables) => {
  return (db: StatementBuilder) =>
    db
      .update(steps)
      .set({ status: 'RUNNING', messageId: sql`${param('messageId')}`, updatedAt: sql`now()` })
      .where(isStep(steps));
};

export const selectStep = ({ workflowSteps: steps }: WorkflowTables) => {
  return (db: StatementBuilder) => db.select().from(steps).where(isStep(steps));
};

/** The steps of a workflow, in order. */
export const selectSteps = ({ workflowSteps: steps }: WorkflowTables) => {
  return (db: StatementBuilder) =>
    db
      .select()
      .from(steps)
      .where(eq(steps.workflowId, param('workflowId')))
      .orderBy(asc(steps.step));
};

/** The steps of a workflow in the `stages` given (an array), in order. */
export const selectStepsOfStages = ({ workflowSteps: steps }: WorkflowTables) => {
  return (db: StatementBuilder) =>
    db
      .select()
      .from(steps)
      .where(
        and(
          eq(steps.workflowId, param('workflowId')),
          sql`${steps.stage} = any(${param('stages')})`,
        ),
      )
      .orderBy(asc(steps.step));
};
