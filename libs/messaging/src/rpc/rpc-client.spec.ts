import { defineRpc } from '@app/contracts';
import type { CorrelationContext } from '@app/correlation';
import type { BaseConfig } from '@app/platform';
import type { MessagingMetrics } from '@app/telemetry';
import type { AmqpConnection } from '@golevelup/nestjs-rabbitmq';
import type { ConfigService } from '@nestjs/config';
import { z } from 'zod';
import type { BrokerConnection } from '../broker-connection';
import { BrokerUnreachableError, MessageTooLargeError } from '../errors';
import type { MessagingModuleOptions } from '../messaging.options';
import { RpcClient } from './rpc-client';

const Lookup = defineRpc(
  'test.lookup',
  z.object({ id: z.string() }),
  z.object({ ok: z.boolean() }),
);

const inside = { current: () => ({ correlationId: 'flow-1', causationId: 'message-1' }) };
const connected = { isUnreachable: false, blockedReason: undefined };
const settings: Record<string, number> = { RPC_TIMEOUT_MS: 2_000, MAX_MESSAGE_BYTES: 1_024 };

/** A client that is never opened: a call that got as far as publishing would fail otherwise. */
function clientWith(correlation: object, broker: object) {
  const metrics = { rpcCalled: jest.fn() };
  const client = new RpcClient(
    {} as AmqpConnection,
    broker as BrokerConnection,
    correlation as CorrelationContext,
    { get: (key: string) => settings[key] } as unknown as ConfigService<BaseConfig, true>,
    metrics as unknown as MessagingMetrics,
    { service: 'test' } as MessagingModuleOptions,
  );
  return { client, metrics };
}

describe('RpcClient', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  // A deadline timer left running would reject, 2 s on, a promise nobody holds any more: an
  // unhandled rejection, which stops the process. Each call failed before sending leaves none.

  it('fails a call made outside a correlation context at once, leaving no deadline behind', async () => {
    const outside = {
      current: () => {
        throw new Error('No correlation context: run this inside a request, a message or run()');
      },
    };
    const { client, metrics } = clientWith(outside, connected);

    await expect(client.call(Lookup, { id: 'a' })).rejects.toThrow(/No correlation context/);
    expect(jest.getTimerCount()).toBe(0);
    expect(metrics.rpcCalled).toHaveBeenCalledWith('test.lookup', 'error', expect.any(Number));
  });

  it('fails a call made while the broker cannot be reached at once, as a failure, not a timeout', async () => {
    const { client, metrics } = clientWith(inside, { isUnreachable: true });

    await expect(client.call(Lookup, { id: 'a' })).rejects.toThrow(BrokerUnreachableError);
    expect(jest.getTimerCount()).toBe(0);
    expect(metrics.rpcCalled).toHaveBeenCalledWith('test.lookup', 'error', expect.any(Number));
  });

  it('fails a call whose request JSON cannot carry at once, leaving no deadline behind', async () => {
    const Loose = defineRpc('test.loose', z.object({ value: z.unknown() }), z.object({}));
    const { client } = clientWith(inside, connected);

    await expect(client.call(Loose, { value: 10n })).rejects.toThrow(/BigInt/);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('refuses a request above MAX_MESSAGE_BYTES before sending it, as the responder would', async () => {
    const { client, metrics } = clientWith(inside, connected);

    await expect(client.call(Lookup, { id: 'x'.repeat(1_024) })).rejects.toThrow(
      MessageTooLargeError,
    );
    expect(jest.getTimerCount()).toBe(0);
    expect(metrics.rpcCalled).toHaveBeenCalledWith('test.lookup', 'error', expect.any(Number));
  });
});
