import { PermanentMessageError } from '@app/messaging';
import { Injectable, Logger } from '@nestjs/common';
import { StepDispatcher, StepPayloadError } from './step-dispatcher';
import type { WorkflowStepRef } from './workflow-step';
import { WorkflowStore } from './workflow.store';
import type { WorkflowRow, WorkflowStepRow } from './workflow.tables';

/**
 * Moves a workflow on as its steps finish, in each step's own handler transaction (the inbox's):
 * the step is marked done with its result unless it already was (its row's lock makes a copy of
 * the job wait, then find it done), and only then does its stage's count of remaining steps go
 * down, on the workflow's row, whose lock the steps of a stage take one after the other. The step
 * that takes it to 0 sends the next stage's jobs (a chain's next link, a chord's callback) to the
 * outbox in that same transaction, so the next stage starts exactly once. A success and a failure
 * both lock the step's row before the workflow's, so neither waits on the other in a cycle.
 */
@Injectable()
export class WorkflowProgress {
  private readonly logger = new Logger('Workflows');

  constructor(
    private readonly store: WorkflowStore,
    private readonly dispatcher: StepDispatcher,
  ) {}

  /** `type`: the job's message type, which must be the step's. */
  async succeeded(ref: WorkflowStepRef, type: string, result: unknown): Promise<void> {
    if (!(await this.store.succeed(ref, type, result))) {
      // Only when nothing changed: a step done already, a job that is not the step it names, or
      // one naming a step whose job has not been sent.
      const step = await this.store.find(ref);
      if (step?.type !== type) {
        throw new PermanentMessageError(
          `a ${type} job names step ${ref.step} of workflow ${ref.workflowId}, which is not one`,
        );
      }
      if (step.messageId === null) {
        throw new PermanentMessageError(
          `a ${type} job names step ${ref.step} of workflow ${ref.workflowId}, whose job was not sent`,
        );
      }
      this.logger.warn(`Step ${ref.step} of workflow ${ref.workflowId} had already succeeded`);
      return;
    }
    const workflow = await this.store.countDown(ref.workflowId);
    if (workflow.remaining <= 0) {
      await this.finishStage(workflow);
    } else if (workflow.status === 'FAILED') {
      // The count keeps the status, and this step may have been the failed one, replayed: a
      // statement of its own, under the row lock, sees every step as committed and decides it.
      await this.store.advance(workflow.id, { remaining: workflow.remaining });
    }
  }

  /** Records a step its queue gave up on (dead-lettered): the workflow waits for its replay. */
  async failed(ref: WorkflowStepRef, type: string, error: string): Promise<void> {
    const step = await this.store.find(ref);
    // A job naming a step whose job was not sent is not that step's: the workflow is not its to fail.
    if (step?.type !== type || step.messageId === null) return;
    if (!(await this.store.fail(ref, error))) return;
    await this.store.update(ref.workflowId, { status: 'FAILED' });
    this.logger.error(`Step ${ref.step} of workflow ${ref.workflowId} FAILED: ${error}`);
  }

  private async finishStage(workflow: WorkflowRow): Promise<void> {
    const next = workflow.stage + 1;
    if (next >= workflow.stages) {
      await this.store.update(workflow.id, { remaining: 0, status: 'SUCCEEDED', finished: true });
      this.logger.log(`Workflow ${workflow.id} SUCCEEDED`);
      return;
    }
    const steps = await this.store.stepsOf(workflow.id, workflow.stage, next);
    const nextSteps = steps.filter((row) => row.stage === next);
    await this.store.advance(workflow.id, { stage: next, remaining: nextSteps.length });
    const previous = stageResult(steps.filter((row) => row.stage === workflow.stage));
    for (const row of nextSteps) await this.sendOrFail(row, previous);
  }

  /**
   * A job that cannot carry the stage's result (its contract refuses it, or it is too large)
   * fails its step and the workflow here, with the reason: the step that just finished did its
   * work, and thrown, its transaction would roll that work back and dead-letter the wrong step,
   * whose replays would meet the same stored results every time.
   */
  private async sendOrFail(row: WorkflowStepRow, previous: unknown): Promise<void> {
    try {
      await this.dispatcher.send(row, previous);
    } catch (error) {
      if (!(error instanceof StepPayloadError)) throw error;
      await this.store.fail({ workflowId: row.workflowId, step: row.step }, error.message);
      await this.store.update(row.workflowId, { status: 'FAILED' });
      this.logger.error(`Step ${row.step} of workflow ${row.workflowId} FAILED: ${error.message}`);
    }
  }
}

/** A stage's result: its step's, or the list of its group's, in order. */
export function stageResult(steps: readonly WorkflowStepRow[]): unknown {
  const results = steps.map((row) => row.result);
  return steps[0]?.grouped ? results : results[0];
}
