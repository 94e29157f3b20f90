import {
  boolean,
  integer,
  jsonb,
  type PgSchema,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';

const moment = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const WORKFLOW_STATUSES = ['RUNNING', 'FAILED', 'SUCCEEDED'] as const;
export type WorkflowStatus = (typeof WORKFLOW_STATUSES)[number];

/** WAITING: its stage has not started; RUNNING: its job is sent; then SUCCEEDED or FAILED. */
export const STEP_STATUSES = ['WAITING', 'RUNNING', 'SUCCEEDED', 'FAILED'] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

/**
 * The join state of the workflows a service runs, in its own schema: a row per workflow and a
 * row per step. A service's table file calls this once and exports the result, so drizzle-kit
 * migrates it with the rest (like the outbox and the inbox).
 */
export function workflowTables(schema: PgSchema) {
  const workflows = schema.table('workflows', {
    id: uuid('id').primaryKey(),
    status: text('status', { enum: WORKFLOW_STATUSES }).notNull(),
    /** The stage whose steps run now: a chain's link, or a chord's group then its callback. */
    stage: integer('stage').notNull(),
    stages: integer('stages').notNull(),
    /** Steps of the current stage not yet succeeded; the step that takes it to 0 moves on. */
    remaining: integer('remaining').notNull(),
    createdAt: moment('created_at').notNull().defaultNow(),
    finishedAt: moment('finished_at'),
  });
  const workflowSteps = schema.table(
    'workflow_steps',
    {
      workflowId: uuid('workflow_id')
        .notNull()
        .references(() => workflows.id, { onDelete: 'cascade' }),
      /** Its place in the workflow, from 0: the `x-workflow-step` header of its job. */
      step: integer('step').notNull(),
      stage: integer('stage').notNull(),
      /** True when its stage is a group: the stage's result is then the list of its steps'. */
      grouped: boolean('grouped').notNull(),
      /** The job's message type (its contract) and the work queue it goes to. */
      type: text('type').notNull(),
      queue: text('queue').notNull(),
      /** The job's payload; null when the step takes the previous stage's result instead. */
      payload: jsonb('payload'),
      status: text('status', { enum: STEP_STATUSES }).notNull(),
      /** The messageId of its job, once sent. */
      messageId: uuid('message_id'),
      result: jsonb('result'),
      error: text('error'),
      updatedAt: moment('updated_at').notNull().defaultNow(),
    },
    (table) => [primaryKey({ columns: [table.workflowId, table.step] })],
  );
  return { workflows, workflowSteps };
}

export type WorkflowTables = ReturnType<typeof workflowTables>;
export type WorkflowRow = WorkflowTables['workflows']['$inferSelect'];
export type WorkflowStepRow = WorkflowTables['workflowSteps']['$inferSelect'];
