import { MessageContext } from '@app/messaging';
import type { ConsumeMessage } from 'amqplib';
import { stepHeaders } from './workflow-step';
import { WorkflowStepResults } from './workflow-step-results';
import type { WorkflowProgress } from './workflow-progress';

const ID = '9b2f3c1e-4d5a-4b6c-8d7e-0f1a2b3c4d5e';

const contextWith = (headers: Record<string, string>) =>
  new MessageContext({
    messageId: 'm-1',
    type: 'notification.deliver',
    queue: 'notification.deliveries',
    correlationId: 'c-1',
    attempt: 1,
    maxAttempts: 4,
    headers,
    raw: {} as ConsumeMessage,
  });

function setup() {
  const succeeded = jest.fn().mockResolvedValue(undefined);
  const results = new WorkflowStepResults({ succeeded } as unknown as WorkflowProgress);
  return { results, succeeded };
}

describe('WorkflowStepResults', () => {
  it("records a step's result under the job's type", async () => {
    const { results, succeeded } = setup();
    await results.handled(
      { channel: 'email' },
      contextWith(stepHeaders({ workflowId: ID, step: 1 })),
    );
    expect(succeeded).toHaveBeenCalledWith({ workflowId: ID, step: 1 }, 'notification.deliver', {
      channel: 'email',
    });
  });

  it('records nothing for a job sent outside any workflow, or with forged step headers', async () => {
    const { results, succeeded } = setup();
    await results.handled('ok', contextWith({}));
    await results.handled('ok', contextWith({ 'x-workflow-id': 'nope', 'x-workflow-step': '1' }));
    expect(succeeded).not.toHaveBeenCalled();
  });
});
