import { DeadLetterListener, type DeadLetteredMessage } from '@app/messaging';
import { Injectable } from '@nestjs/common';
import { stepOfHeaders } from './workflow-step';
import { WorkflowProgress } from './workflow-progress';

/**
 * Records a step whose job was dead-lettered as FAILED, with the reason, in the transaction that
 * records the dead-letter copy. A replay from the dead-letter queue runs the step again; when it
 * succeeds the workflow goes on.
 */
@Injectable()
export class WorkflowDeadLetters extends DeadLetterListener {
  constructor(private readonly progress: WorkflowProgress) {
    super();
  }

  async deadLettered(message: DeadLetteredMessage): Promise<void> {
    const ref = stepOfHeaders(message.headers);
    if (ref) await this.progress.failed(ref, message.type, message.reason);
  }
}
