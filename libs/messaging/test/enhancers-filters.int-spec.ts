import { MessageHeaders } from '@app/messaging';
import type { AmqpTestClient } from '@app/testing';
import { DLQ, type EnhancersFixture, startEnhancersFixture } from './enhancers.fixture';

describe('Nest enhancers on message handlers, on the real broker: exception filters', () => {
  let fixture: EnhancersFixture;
  let client: AmqpTestClient;
  let send: EnhancersFixture['send'];
  let effectsOf: EnhancersFixture['effectsOf'];
  let handled: EnhancersFixture['handled'];

  beforeAll(async () => {
    fixture = await startEnhancersFixture('enhancers-filters');
    ({ client, send, effectsOf, handled } = fixture);
  });

  afterAll(() => fixture?.dispose());

  it('lets an exception filter turn a domain error into a permanent failure', async () => {
    const messageId = await send({ value: 'blocked', behaviour: 'fail-permanently' });
    const message = await client.takeOne(DLQ);
    expect(message.properties.messageId).toBe(messageId);
    expect(message.properties.headers).toMatchObject({
      [MessageHeaders.error]: 'card blocked: no funds ever',
      [MessageHeaders.attempts]: 1,
    });
    expect(String(message.properties.headers?.[MessageHeaders.error])).not.toMatch(/\bat /);
    expect(await effectsOf(messageId)).toEqual([]);
  });

  it('still retries an unfiltered error as transient, through Nest exception layer', async () => {
    const messageId = await send({ value: 'later', behaviour: 'fail-once' });
    const rows = await handled(messageId, 2);
    expect(rows).toEqual(
      expect.arrayContaining([
        { value: 'audited', attempt: 2 },
        { value: 'LATER', attempt: 2 },
      ]),
    );
  });
});
