import { MessageContext } from '@app/messaging';
import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import { concatMap, last, type Observable } from 'rxjs';
import { stepOfHeaders } from './workflow-step';
import { WorkflowProgress } from './workflow-progress';

/**
 * Makes any job handler a workflow step: when the handled job names a step (its workflow
 * headers), what the handler returns is recorded as the step's result, inside the handler's
 * inbox transaction, and the workflow moves on. A handler that throws records nothing: its queue's
 * retry and dead-letter policy applies.
 */
@Injectable()
export class WorkflowStepInterceptor implements NestInterceptor {
  constructor(private readonly progress: WorkflowProgress) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const message: unknown =
      context.getType() === 'rpc' ? context.switchToRpc().getContext() : undefined;
    if (!(message instanceof MessageContext)) return next.handle();
    const ref = stepOfHeaders(message.headers);
    if (!ref) return next.handle();
    return next.handle().pipe(
      last(undefined, undefined),
      concatMap(async (result: unknown) => {
        await this.progress.succeeded(ref, message.type, result);
        return result;
      }),
    );
  }
}
