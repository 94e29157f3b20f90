import { MessagingMetrics } from '@app/telemetry';
import {
  type CallHandler,
  type ExecutionContext,
  Injectable,
  type NestInterceptor,
} from '@nestjs/common';
import { finalize, type Observable } from 'rxjs';
import { MessageContext } from '../consuming/message-context';

/**
 * Times every message handler, events and RPC alike, its guards' verdict aside: the
 * handler-duration histogram by queue and type. Global (the messaging module provides it as an
 * APP_INTERCEPTOR); HTTP requests pass through untouched. A duplicate, skipped by the inbox
 * before any handler runs, is not timed: it is counted as `duplicate` among the consumed.
 */
@Injectable()
export class HandlerMetricsInterceptor implements NestInterceptor {
  constructor(private readonly metrics: MessagingMetrics) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'rpc') return next.handle();
    const message = context.switchToRpc().getContext<unknown>();
    if (!(message instanceof MessageContext)) return next.handle();
    const startedAt = performance.now();
    return next
      .handle()
      .pipe(
        finalize(() =>
          this.metrics.messageHandled(
            message.queue,
            message.type,
            (performance.now() - startedAt) / 1000,
          ),
        ),
      );
  }
}
