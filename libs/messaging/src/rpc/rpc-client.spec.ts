import { defineRpc } from '@app/contracts';
import type { CorrelationContext } from '@app/correlation';
import type { BaseConfig } from '@app/platform';
import type { MessagingMetrics } from '@app/telemetry';
import type { AmqpConnection } from '@golevelup/nestjs-rabbitmq';
import type { ConfigService } from '@nestjs/config';
import { z } from 'zod';
import type { BrokerConnection } from '../broker-connection';
import type { MessagingModuleOptions } from '../messaging.options';
import { RpcClient } from './rpc-client';

const Lookup = defineRpc(
  'test.lookup',
  z.object({ id: z.string() }),
  z.object({ ok: z.boolean() }),
);

describe('RpcClient', () => {
  afterEach(() => jest.useRealTimers());

  it('fails a call made outside a correlation context at once, leaving no deadline behind', async () => {
    jest.useFakeTimers();
    const outside = {
      current: () => {
        throw new Error('No correlation context: run this inside a request, a message or run()');
      },
    };
    const metrics = { rpcCalled: jest.fn() };
    const client = new RpcClient(
      {} as AmqpConnection,
      {} as BrokerConnection,
      outside as unknown as CorrelationContext,
      { get: () => 2_000 } as unknown as ConfigService<BaseConfig, true>,
      metrics as unknown as MessagingMetrics,
      { service: 'test' } as MessagingModuleOptions,
    );

    await expect(client.call(Lookup, { id: 'a' })).rejects.toThrow(/No correlation context/);
    // A deadline timer left running would reject, 2 s on, a promise nobody holds any more:
    // an unhandled rejection, which stops the process.
    expect(jest.getTimerCount()).toBe(0);
    expect(metrics.rpcCalled).toHaveBeenCalledWith('test.lookup', 'error', expect.any(Number));
  });
});
