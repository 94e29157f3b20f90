import type { MessagingMetrics } from '@app/telemetry';
import type { CallHandler, ExecutionContext } from '@nestjs/common';
import type { ConsumeMessage } from 'amqplib';
import { lastValueFrom, of, throwError } from 'rxjs';
import { MessageContext } from '../consuming/message-context';
import { HandlerMetricsInterceptor } from './handler-metrics.interceptor';

const message = new MessageContext({
  messageId: 'm-1',
  type: 'order.created',
  queue: 'payment.order-created',
  correlationId: 'c-1',
  attempt: 1,
  maxAttempts: 4,
  headers: {},
  raw: {} as ConsumeMessage,
});

function contextOf(type: 'rpc' | 'http', rpcContext: unknown = message): ExecutionContext {
  return {
    getType: () => type,
    switchToRpc: () => ({ getContext: () => rpcContext, getData: () => ({}) }),
  } as unknown as ExecutionContext;
}

function setup() {
  const messageHandled = jest.fn();
  const interceptor = new HandlerMetricsInterceptor({
    messageHandled,
  } as unknown as MessagingMetrics);
  return { interceptor, messageHandled };
}

describe('HandlerMetricsInterceptor', () => {
  it('times a message handler by queue and type', async () => {
    const { interceptor, messageHandled } = setup();
    const next: CallHandler = { handle: () => of('done') };
    await expect(lastValueFrom(interceptor.intercept(contextOf('rpc'), next))).resolves.toBe(
      'done',
    );
    expect(messageHandled).toHaveBeenCalledWith(
      'payment.order-created',
      'order.created',
      expect.any(Number),
    );
  });

  it('times a failed handler too, and lets its error through unchanged', async () => {
    const { interceptor, messageHandled } = setup();
    const failure = new Error('deadlock detected');
    const next: CallHandler = { handle: () => throwError(() => failure) };
    await expect(lastValueFrom(interceptor.intercept(contextOf('rpc'), next))).rejects.toBe(
      failure,
    );
    expect(messageHandled).toHaveBeenCalledTimes(1);
  });

  it('leaves HTTP requests and other transports alone', async () => {
    const { interceptor, messageHandled } = setup();
    const next: CallHandler = { handle: () => of('ok') };
    await lastValueFrom(interceptor.intercept(contextOf('http'), next));
    await lastValueFrom(interceptor.intercept(contextOf('rpc', { other: true }), next));
    expect(messageHandled).not.toHaveBeenCalled();
  });
});
