import { defineRpc, RPC_EXCHANGE } from '@app/contracts';
import { CorrelationContext } from '@app/correlation';
import {
  MessageHeaders,
  PublishRefusedError,
  RpcClient,
  RpcDeadlineExceededError,
  RpcReplyError,
  UnroutableMessageError,
} from '@app/messaging';
import {
  AmqpTestClient,
  FixtureEcho,
  type IsolatedFixture,
  startIsolatedFixture,
  waitFor,
} from '@app/testing';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';

/** Long enough for a reply on a loaded CI machine: these tests assert answers, not speed (the bench measures that). */
const DEADLINE_MS = 2_000;
describe('Request/reply with a deadline', () => {
  let fixture: IsolatedFixture;
  let client: AmqpTestClient;
  /** The reply queue the raw requests name: one the broker named for the test client. */
  let replies: string;

  const call = (
    request: { text: string; delayMs?: number; fail?: boolean },
    contract: typeof FixtureEcho = FixtureEcho,
  ) =>
    fixture.app
      .get(CorrelationContext)
      .run({ correlationId: 'corr-rpc', causationId: 'cause-rpc' }, () =>
        fixture.app.get(RpcClient).call(contract, { delayMs: 0, fail: false, ...request }),
      );

  /** Sends a request as another client would, replying to a queue the test reads. */
  const rawRequest = async (body: unknown, headers: Record<string, unknown> = {}) => {
    const correlationId = randomUUID();
    await client.publish(RPC_EXCHANGE, FixtureEcho.routingKey, body, {
      replyTo: replies,
      correlationId,
      messageId: randomUUID(),
      contentType: 'application/json',
      headers,
    });
    return correlationId;
  };

  beforeAll(async () => {
    fixture = await startIsolatedFixture('rpc', { env: { RPC_TIMEOUT_MS: String(DEADLINE_MS) } });
    ({ client } = fixture);
    replies = await client.replyQueue();
  });

  afterAll(() => fixture?.dispose());

  it('answers a request over direct reply-to', async () => {
    await expect(call({ text: 'hello' })).resolves.toEqual({ text: 'hello' });
  });

  it('gives up at the deadline when the responder is slower', async () => {
    await expect(call({ text: 'too slow', delayMs: 2 * DEADLINE_MS })).rejects.toBeInstanceOf(
      RpcDeadlineExceededError,
    );
  });

  it('fails at once, not at the deadline, when no responder queue is bound for the request', async () => {
    const nobodyListens = { ...FixtureEcho, routingKey: 'fixture.nobody-listens' };
    const unanswered = call({ text: 'anyone?' }, nobodyListens);
    await expect(unanswered).rejects.toBeInstanceOf(UnroutableMessageError);
  });

  it('fails at once, not at the deadline, when the request queue is full', async () => {
    const full = { ...FixtureEcho, routingKey: 'fixture.full' };
    await client.bindObserver('full-responder', RPC_EXCHANGE, [full.routingKey], {
      durable: true,
      arguments: { 'x-max-length': 1, 'x-overflow': 'reject-publish' },
    });
    await client.publish(RPC_EXCHANGE, full.routingKey, { text: 'waiting' });
    const startedAt = Date.now();
    await expect(call({ text: 'no room' }, full)).rejects.toBeInstanceOf(PublishRefusedError);
    // The broker's refusal is known well before the deadline.
    expect(Date.now() - startedAt).toBeLessThan(DEADLINE_MS / 2);
  });

  it('turns a responder failure into an error reply without its stack', async () => {
    const failure = call({ text: 'boom', fail: true });
    await expect(failure).rejects.toBeInstanceOf(RpcReplyError);
    await expect(failure).rejects.toThrow('answered INTERNAL: The responder could not answer');
    await expect(failure).rejects.not.toThrow(/secret stack/);
  });

  it('answers an invalid request with INVALID_REQUEST, echoing the correlation id it generated', async () => {
    const correlationId = await rawRequest({ text: 7 });
    const [reply] = await client.take(replies, 1);
    expect(reply.properties.correlationId).toBe(correlationId);
    expect(JSON.parse(reply.content.toString())).toEqual({
      error: { code: 'INVALID_REQUEST', message: expect.stringMatching(/^text: /) as string },
    });
    // The request carried no x-correlation-id: the responder made one up and passed it on.
    expect(reply.properties.headers?.['x-correlation-id']).toEqual(expect.any(String));
  });

  it('skips a request whose deadline passed while it waited, answering only live ones', async () => {
    const stale = await rawRequest(
      { text: 'stale' },
      { [MessageHeaders.deadline]: Date.now() - 1 },
    );
    const live = await rawRequest(
      { text: 'live' },
      { [MessageHeaders.deadline]: Date.now() + 5_000 },
    );
    // Sent last: once its reply is in, a reply to the stale request, handled beside it, would
    // be in too.
    const last = await rawRequest(
      { text: 'last' },
      { [MessageHeaders.deadline]: Date.now() + 5_000 },
    );
    const answered: unknown[] = [];
    await waitFor(
      async () => {
        const taken = await client.drain(replies);
        answered.push(...taken.map((reply) => reply.properties.correlationId));
        return answered.includes(last);
      },
      { description: 'the reply to the request sent last' },
    );
    expect(answered).toContain(live);
    expect(answered).not.toContain(stale);
    expect(answered).toHaveLength(2);
  });

  it('sends requests that expire in the broker at the deadline, so a late responder does no stale work', async () => {
    // A second queue on the same route stands for a responder that is down: nobody consumes it.
    await client.bindObserver('idle-responder', RPC_EXCHANGE, [FixtureEcho.routingKey]);
    try {
      await expect(call({ text: 'while one responder is down' })).resolves.toBeDefined();
      await waitFor(async () => (await client.messageCount('idle-responder')) === 0, {
        description: 'the unanswered copy to expire',
      });
    } finally {
      await client.unbind('idle-responder', RPC_EXCHANGE, FixtureEcho.routingKey);
    }
  });

  describe('replies from a responder of another stack', () => {
    /** A reply schema whose every field is optional, as a lookup that may find nothing has. */
    const Lookup = defineRpc(
      'fixture.foreign-lookup',
      z.object({ key: z.string() }),
      z.object({ value: z.string().optional() }),
    );
    const FOREIGN = 'foreign-responder';

    beforeAll(() => client.bindObserver(FOREIGN, RPC_EXCHANGE, [Lookup.routingKey]));

    /** Calls Lookup and answers it from the test's queue with `body`, as another client would. */
    const answeredWith = async (body: unknown) => {
      const pending = fixture.app
        .get(CorrelationContext)
        .run({ correlationId: 'corr-foreign', causationId: 'cause' }, () =>
          fixture.app.get(RpcClient).call(Lookup, { key: 'k' }),
        );
      pending.catch(() => undefined);
      const [request] = await client.take(FOREIGN, 1);
      const { replyTo, correlationId } = request.properties as {
        replyTo: string;
        correlationId: string;
      };
      await client.publish('', replyTo, body, { correlationId, persistent: false });
      return pending;
    };

    it('takes an error reply for an error, though the reply schema would accept it', async () => {
      const failure = answeredWith({ error: { code: 'INTERNAL', message: 'database down' } });
      await expect(failure).rejects.toBeInstanceOf(RpcReplyError);
      await expect(failure).rejects.toThrow('answered INTERNAL: database down');
    });

    it('says a reply that is not JSON is not JSON', async () => {
      const failure = answeredWith(Buffer.from('<html>502</html>'));
      await expect(failure).rejects.toThrow('answered INVALID_REPLY: The reply is not JSON');
    });

    it('still reads a reply of the contract', async () => {
      await expect(answeredWith({ value: 'found' })).resolves.toEqual({ value: 'found' });
      await expect(answeredWith({})).resolves.toEqual({});
    });
  });
});
