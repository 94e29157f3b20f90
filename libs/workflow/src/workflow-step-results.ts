import { HandlerResultListener, type MessageContext } from '@app/messaging';
import { Injectable } from '@nestjs/common';
import { stepOfHeaders } from './workflow-step';
import { WorkflowProgress } from './workflow-progress';

/**
 * Makes any job handler a workflow step: when the handled job names a step (its workflow
 * headers), what the handler returned is recorded as the step's result, inside the handler's
 * inbox transaction, and the workflow moves on. A handler that throws records nothing: its
 * queue's retry and dead-letter policy applies (see WorkflowDeadLetters).
 */
@Injectable()
export class WorkflowStepResults extends HandlerResultListener {
  constructor(private readonly progress: WorkflowProgress) {
    super();
  }

  async handled(result: unknown, context: MessageContext): Promise<void> {
    const ref = stepOfHeaders(context.headers);
    if (ref) await this.progress.succeeded(ref, context.type, result);
  }
}
