import { CorrelationContext } from '@app/correlation';
import { MessageHeaders, RpcClient, RpcReplyError } from '@app/messaging';
import { type AmqpTestClient, FixtureEcho } from '@app/testing';
import { DLQ, type EnhancersFixture, startEnhancersFixture } from './enhancers.fixture';

describe('Nest enhancers on message handlers, on the real broker: guards', () => {
  let fixture: EnhancersFixture;
  let client: AmqpTestClient;
  let send: EnhancersFixture['send'];
  let effectsOf: EnhancersFixture['effectsOf'];

  beforeAll(async () => {
    fixture = await startEnhancersFixture('enhancers-guards');
    ({ client, send, effectsOf } = fixture);
  });

  afterAll(() => fixture?.dispose());

  it('dead-letters at once, with the reason, a message a guard refuses', async () => {
    const messageId = await send({ value: 'refuse me' });
    const message = await client.takeOne(DLQ);
    expect(message.properties.messageId).toBe(messageId);
    expect(message.properties.headers).toMatchObject({
      [MessageHeaders.error]: 'Forbidden resource',
      [MessageHeaders.attempts]: 1,
    });
    // The interceptor's write was in the refused message's transaction: rolled back with it.
    expect(await effectsOf(messageId)).toEqual([]);
  });

  it("answers an RPC a guard refuses with REFUSED and the guard's reason", async () => {
    const call = (text: string) =>
      fixture.app
        .get(CorrelationContext)
        .run({ correlationId: 'corr-guarded-rpc', causationId: 'cause' }, () =>
          fixture.app.get(RpcClient).call(FixtureEcho, { text, delayMs: 0, fail: false }),
        );
    await expect(call('let me in')).resolves.toEqual({ text: 'let me in' });
    const refused = call('refuse me');
    await expect(refused).rejects.toBeInstanceOf(RpcReplyError);
    await expect(refused).rejects.toMatchObject({ code: 'REFUSED' });
    await expect(refused).rejects.toThrow('answered REFUSED: Forbidden resource');
  });
});
