import type { DatabaseTransactionHost } from '@app/platform';
import { TransactionHost } from '@nestjs-cls/transactional';
import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { StepDispatcher } from './step-dispatcher';
import {
  type GroupSignature,
  group,
  planStages,
  type Stage,
  type StepSignature,
} from './workflow-signature';
import { WORKFLOW_OPTIONS, type WorkflowModuleOptions } from './workflow.options';
import { WorkflowStore } from './workflow.store';
import type { WorkflowRow, WorkflowStepRow } from './workflow.tables';

/** A workflow as stored: its row and its steps, in order. */
export interface WorkflowView extends WorkflowRow {
  steps: WorkflowStepRow[];
}

/**
 * Starts workflows of jobs on the service's own work queues, in the caller's transaction (like
 * OutboxWriter.add): the workflow exists, and its first jobs are sent, if and only if the
 * business write commits. Each step is an ordinary `@EventPattern` handler of its job; what it
 * returns is its result.
 *
 * - `chain(a, b, c)`: one after the other; a step without a payload gets the previous result.
 * - `group(a, b)`: in parallel, on competing workers.
 * - `chord(group(a, b), callback)`: the callback once every step of the group has succeeded;
 *   without a payload it gets the list of their results.
 */
@Injectable()
export class Workflows {
  private readonly queues: ReadonlyMap<string, string>;

  constructor(
    @Inject(TransactionHost) private readonly txHost: DatabaseTransactionHost,
    @Inject(WORKFLOW_OPTIONS) options: WorkflowModuleOptions,
    private readonly store: WorkflowStore,
    private readonly dispatcher: StepDispatcher,
  ) {
    this.queues = new Map(options.jobs.map((job) => [job.contract.type, job.queue]));
  }

  /** Runs the stages one after the other; a stage is a step or a group. Returns the workflow id. */
  chain(...stages: Stage[]): Promise<string> {
    return this.start(stages);
  }

  group(...steps: StepSignature[]): Promise<string> {
    return this.start([group(...steps)]);
  }

  chord(
    header: GroupSignature | readonly StepSignature[],
    callback: StepSignature,
  ): Promise<string> {
    const steps = 'kind' in header ? header : group(...header);
    return this.start([steps, callback]);
  }

  /** The workflow and its steps, read in the current transaction if any. */
  async find(workflowId: string): Promise<WorkflowView | undefined> {
    const workflow = await this.store.workflow(workflowId);
    return workflow && { ...workflow, steps: await this.store.stepsOf(workflowId) };
  }

  private async start(stages: Stage[]): Promise<string> {
    if (!this.txHost.isTransactionActive()) {
      throw new Error(
        'Workflows need an open transaction, or a workflow could outlive a rolled-back write',
      );
    }
    const planned = planStages(stages);
    const id = randomUUID();
    // The first stage's steps go in already sent, under the messageIds their jobs get here: one
    // insert and one outbox statement, however many steps the stage has.
    const steps = planned.map((step) => {
      const first = step.stage === 0;
      return {
        workflowId: id,
        step: step.step,
        stage: step.stage,
        grouped: step.grouped,
        type: step.contract.type,
        queue: this.queueOf(step.contract.type),
        payload: step.payload === undefined ? null : step.contract.schema.parse(step.payload),
        status: first ? ('RUNNING' as const) : ('WAITING' as const),
        messageId: first ? randomUUID() : null,
      };
    });
    const first = steps.filter((step) => step.stage === 0);
    const workflow = { id, status: 'RUNNING' as const, stage: 0, remaining: first.length };
    const rows = await this.store.insert({ ...workflow, stages: stages.length }, steps);
    await this.dispatcher.sendStarted(rows.filter((step) => step.stage === 0));
    return id;
  }

  private queueOf(type: string): string {
    const queue = this.queues.get(type);
    if (queue === undefined) {
      throw new Error(
        `${type} is not a job of this service: a workflow step is one of its publishes.jobs`,
      );
    }
    return queue;
  }
}
