import { CorrelationContext } from '@app/correlation';
import {
  AmqpClient,
  RpcDeadlineExceededError,
  RpcReplyError,
  UnroutableMessageError,
} from '@app/messaging';
import { FixtureEcho, isolate, type Isolation, startFixtureApp } from '@app/testing';
import type { INestApplication } from '@nestjs/common';
import { firstValueFrom, lastValueFrom, type Observable } from 'rxjs';

/** Long enough for a reply on a loaded CI machine: these tests assert answers, not speed (the bench measures that). */
const DEADLINE_MS = 2_000;
describe('AmqpClient: RPC through Nest’s ClientProxy', () => {
  let isolation: Isolation;
  let app: INestApplication;

  const inContext = <T>(call: () => Promise<T>) =>
    app
      .get(CorrelationContext)
      .run({ correlationId: 'corr-client', causationId: 'cause-client' }, call);

  const echo = (text: string, delayMs = 0) =>
    app.get(AmqpClient).send(FixtureEcho, { text, delayMs, fail: false });

  beforeAll(async () => {
    isolation = await isolate('amqp-client');
    app = await startFixtureApp({ ...isolation.env, RPC_TIMEOUT_MS: String(DEADLINE_MS) });
  });

  afterAll(async () => {
    await app?.close();
    await isolation?.dispose();
  });

  it('answers send(contract, request) with an Observable of the reply, typed by the contract', async () => {
    const reply: Observable<{ text: string }> = echo('hello');
    await expect(inContext(() => lastValueFrom(reply))).resolves.toEqual({ text: 'hello' });
  });

  it('takes the routing key as the pattern too', async () => {
    const reply = app
      .get(AmqpClient)
      .send<typeof FixtureEcho>('fixture.echo', { text: 'by key', delayMs: 0, fail: false });
    await expect(inContext(() => firstValueFrom(reply))).resolves.toEqual({ text: 'by key' });
  });

  it('sends nothing until subscribed, like any ClientProxy', async () => {
    const reply = echo('lazy');
    await new Promise((resolve) => setImmediate(resolve));
    await expect(inContext(() => firstValueFrom(reply))).resolves.toEqual({ text: 'lazy' });
  });

  it('errors at the deadline, at once when unroutable, and with the error reply', async () => {
    await expect(
      inContext(() => firstValueFrom(echo('slow', 2 * DEADLINE_MS))),
    ).rejects.toBeInstanceOf(RpcDeadlineExceededError);
    const nobodyListens = { ...FixtureEcho, routingKey: 'fixture.nobody-listens' };
    await expect(
      inContext(() =>
        firstValueFrom(
          app.get(AmqpClient).send(nobodyListens, { text: '?', delayMs: 0, fail: false }),
        ),
      ),
    ).rejects.toBeInstanceOf(UnroutableMessageError);
    await expect(
      inContext(() =>
        firstValueFrom(
          app.get(AmqpClient).send(FixtureEcho, { text: 'x', delayMs: 0, fail: true }),
        ),
      ),
    ).rejects.toBeInstanceOf(RpcReplyError);
  });

  it('refuses emit at the call, subscribed or not: events leave through the outbox', () => {
    // `client.emit(…)` alone is how Nest code sends an event: a refusal only an observer would
    // see would drop the event without a word.
    expect(() => app.get(AmqpClient).emit('fixture.recorded', {})).toThrow(
      'Events leave through the outbox (OutboxWriter.add)',
    );
  });
});
