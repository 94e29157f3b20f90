import { headerText, type Headers, MessageContext } from '@app/messaging';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';

/** The headers that make a job a workflow's step. */
export const WorkflowHeaders = {
  workflowId: 'x-workflow-id',
  step: 'x-workflow-step',
} as const;

/** Which step of which workflow a job is. */
export interface WorkflowStepRef {
  readonly workflowId: string;
  readonly step: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_STEP = 1_000_000;

export function stepHeaders(ref: WorkflowStepRef): Record<string, string> {
  return { [WorkflowHeaders.workflowId]: ref.workflowId, [WorkflowHeaders.step]: String(ref.step) };
}

/** The step a message's headers name, or undefined for a job outside any workflow. */
export function stepOfHeaders(headers: Headers | undefined): WorkflowStepRef | undefined {
  const workflowId = headerText(headers, WorkflowHeaders.workflowId);
  const step = headerText(headers, WorkflowHeaders.step);
  if (!workflowId || !UUID.test(workflowId) || !step || !/^\d{1,7}$/.test(step)) return undefined;
  const index = Number(step);
  return index < MAX_STEP ? { workflowId: workflowId.toLowerCase(), step: index } : undefined;
}

/** The step a handler's message is, read from its `@Ctx()`. */
export function stepOfContext(context: unknown): WorkflowStepRef | undefined {
  return context instanceof MessageContext ? stepOfHeaders(context.headers) : undefined;
}

/**
 * The workflow step the handled job is (its workflow id and place), or undefined when the job
 * was sent outside a workflow: `@WorkflowStep() step: WorkflowStepRef | undefined`.
 */
export const WorkflowStep = createParamDecorator(
  (_data: unknown, context: ExecutionContext): WorkflowStepRef | undefined =>
    context.getType() === 'rpc' ? stepOfContext(context.switchToRpc().getContext()) : undefined,
);
