import { contractNamed, type MessageContract } from '@app/contracts';
import { errorMessage, MessageTooLargeError, PermanentMessageError } from '@app/messaging';
import { OutboxWriter, outboxMessage } from '@app/outbox';
import { Injectable } from '@nestjs/common';
import { ZodError } from 'zod';
import { stepHeaders } from './workflow-step';
import { WorkflowStore } from './workflow.store';
import type { WorkflowStepRow } from './workflow.tables';

/**
 * A step's job that cannot be sent as it is: its payload does not fit the job's contract, or is
 * larger than a message may be. Sending it again cannot help; the step names itself.
 */
export class StepPayloadError extends PermanentMessageError {
  constructor(row: WorkflowStepRow, problem: string) {
    super(`step ${row.step} of workflow ${row.workflowId}: its payload ${problem}`);
    this.name = 'StepPayloadError';
  }
}

/**
 * Sends a step's job to its work queue through the outbox, in the caller's transaction (the one
 * that started the workflow, or the one whose step finished the previous stage), with the
 * headers that name the step.
 */
@Injectable()
export class StepDispatcher {
  constructor(
    private readonly outbox: OutboxWriter,
    private readonly store: WorkflowStore,
  ) {}

  /** `previous`: the previous stage's result, the payload of a step that has none of its own. */
  async send(row: WorkflowStepRow, previous?: unknown): Promise<void> {
    const [messageId] = await this.publish([row], previous);
    await this.store.markSent({ workflowId: row.workflowId, step: row.step }, messageId);
  }

  /**
   * The first stage of a workflow being started: its steps were inserted as sent, with their
   * jobs' messageIds, so the jobs go out in one outbox statement and no step changes.
   */
  async sendStarted(rows: readonly WorkflowStepRow[]): Promise<void> {
    await this.publish(rows);
  }

  private async publish(rows: readonly WorkflowStepRow[], previous?: unknown): Promise<string[]> {
    const messages = rows.map((row) =>
      outboxMessage(jobContract(row.type), row.payload ?? previous, {
        route: { exchange: '', routingKey: row.queue },
        headers: stepHeaders({ workflowId: row.workflowId, step: row.step }),
        ...(row.messageId !== null && { messageId: row.messageId }),
      }),
    );
    try {
      return await this.outbox.addAll(messages);
    } catch (error) {
      // The outbox checks every payload in one go: name the step whose payload failed.
      if (error instanceof ZodError) {
        const failed = messages.findIndex(({ contract, payload }) => !fits(contract, payload));
        const row = rows[Math.max(failed, 0)];
        throw new StepPayloadError(row, `does not fit ${row.type} (${errorMessage(error)})`);
      }
      // A stage's result passed on as the payload: one step, sent as its stage begins.
      if (error instanceof MessageTooLargeError && rows.length === 1) {
        throw new StepPayloadError(rows[0], `is too large (${error.message})`);
      }
      throw error;
    }
  }
}

function fits(contract: MessageContract, payload: unknown): boolean {
  return contract.schema.safeParse(payload).success;
}

function jobContract(type: string): MessageContract {
  const contract = contractNamed(type);
  if (!contract || !('schema' in contract)) {
    throw new PermanentMessageError(`no message contract is defined for the step type ${type}`);
  }
  return contract;
}
