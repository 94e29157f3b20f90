import { contractNamed, type MessageContract } from '@app/contracts';
import { errorMessage, PermanentMessageError } from '@app/messaging';
import { OutboxWriter } from '@app/outbox';
import { Injectable } from '@nestjs/common';
import { ZodError } from 'zod';
import { stepHeaders } from './workflow-step';
import { WorkflowStore } from './workflow.store';
import type { WorkflowStepRow } from './workflow.tables';

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
    const ref = { workflowId: row.workflowId, step: row.step };
    const payload: unknown = row.payload ?? previous;
    let messageId: string;
    try {
      messageId = await this.outbox.add(jobContract(row.type), payload, {
        route: { exchange: '', routingKey: row.queue },
        headers: stepHeaders(ref),
      });
    } catch (error) {
      if (!(error instanceof ZodError)) throw error;
      throw new PermanentMessageError(
        `step ${row.step} of workflow ${row.workflowId}: its payload does not fit ${row.type} (${errorMessage(error)})`,
      );
    }
    await this.store.markSent(ref, messageId);
  }
}

function jobContract(type: string): MessageContract {
  const contract = contractNamed(type);
  if (!contract || !('schema' in contract)) {
    throw new PermanentMessageError(`no message contract is defined for the step type ${type}`);
  }
  return contract;
}
