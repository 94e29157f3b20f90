import { EVENTS_EXCHANGE } from '@app/contracts';
import { CorrelationContext } from '@app/correlation';
import {
  deadLetterQueueName,
  type MessageContext,
  MessageController,
  MessageHeaders,
  PermanentMessageError,
  RpcClient,
  RpcReplyError,
} from '@app/messaging';
import { type Database, type DatabaseTransactionHost } from '@app/platform';
import {
  AmqpTestClient,
  effects,
  FixtureEcho,
  FixtureRecorded,
  fixtureTopology,
  type IsolatedFixture,
  startIsolatedFixture,
  waitFor,
} from '@app/testing';
import { TransactionHost } from '@nestjs-cls/transactional';
import {
  type ArgumentsHost,
  Catch,
  type CallHandler,
  type CanActivate,
  type ExceptionFilter,
  type ExecutionContext,
  Inject,
  Injectable,
  type NestInterceptor,
  type PipeTransform,
  UseFilters,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { Ctx, EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import type { Options } from 'amqplib';
import { eq } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { throwError } from 'rxjs';

const QUEUE = fixtureTopology.queues.events.name;
const DLQ = deadLetterQueueName(QUEUE);

/** What the enhancers saw, for the assertions. */
const seen: { interceptor: string; messageId?: string; type: string; inTransaction: boolean }[] =
  [];

/** A domain error of the kind a payment provider raises: no messaging import needed. */
class CardBlockedError extends Error {}

/** Global: sees every message handler, events and RPC alike. */
@Injectable()
class GlobalProbe implements NestInterceptor {
  constructor(@Inject(TransactionHost) private readonly txHost: DatabaseTransactionHost) {}

  intercept(context: ExecutionContext, next: CallHandler) {
    if (context.getType() === 'rpc') {
      const message = context.switchToRpc().getContext<MessageContext>();
      seen.push({
        interceptor: 'global',
        messageId: message.messageId,
        type: message.type,
        inTransaction: this.txHost.isTransactionActive(),
      });
    }
    return next.handle();
  }
}

/** Per controller: writes in the handler's transaction, so a failed handler takes it back. */
@Injectable()
class AuditInterceptor implements NestInterceptor {
  constructor(@Inject(TransactionHost) private readonly txHost: DatabaseTransactionHost) {}

  async intercept(context: ExecutionContext, next: CallHandler) {
    const message = context.switchToRpc().getContext<MessageContext>();
    await this.txHost.tx
      .insert(effects)
      .values({ messageId: message.messageId, value: 'audited', attempt: message.attempt });
    return next.handle();
  }
}

/** Per handler: refuses what it is told to refuse. */
class RefuseGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    return context.switchToRpc().getData<FixtureRecorded>().value !== 'refuse me';
  }
}

/** On an RPC responder: a refusal is the caller's answer, not a failure of the responder. */
class RefuseEchoGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    return context.switchToRpc().getData<{ text: string }>().text !== 'refuse me';
  }
}

@MessageController(fixtureTopology.queues.echo)
class GuardedEchoController {
  @MessagePattern(FixtureEcho)
  @UseGuards(RefuseEchoGuard)
  answer(@Payload() request: { text: string }): { text: string } {
    return { text: request.text };
  }
}

/** Per handler: a blocked card can never be charged, so its message is dead-lettered at once. */
@Catch(CardBlockedError)
class CardBlockedFilter implements ExceptionFilter {
  catch(error: CardBlockedError, _host: ArgumentsHost) {
    return throwError(() => new PermanentMessageError(`card blocked: ${error.message}`));
  }
}

/** Per parameter: a pipe that shapes the payload. */
class ShoutPipe implements PipeTransform<FixtureRecorded, FixtureRecorded> {
  transform(event: FixtureRecorded): FixtureRecorded {
    return { ...event, value: event.value.toUpperCase() };
  }
}

@MessageController(fixtureTopology.queues.events)
@UseInterceptors(AuditInterceptor)
class EnhancedController {
  constructor(@Inject(TransactionHost) private readonly txHost: DatabaseTransactionHost) {}

  @EventPattern(FixtureRecorded)
  @UseGuards(RefuseGuard)
  @UseFilters(CardBlockedFilter)
  async handle(
    @Payload(ShoutPipe) event: FixtureRecorded,
    @Ctx() context: MessageContext,
  ): Promise<void> {
    await this.txHost.tx
      .insert(effects)
      .values({ messageId: context.messageId, value: event.value, attempt: context.attempt });
    if (event.behaviour === 'fail-permanently') throw new CardBlockedError('no funds ever');
    if (event.behaviour === 'fail-once' && context.attempt === 1) throw new Error('try again');
  }
}

describe('Nest enhancers on message handlers, on the real broker', () => {
  let fixture: IsolatedFixture;
  let client: AmqpTestClient;
  let db: Database;

  const send = async (body: unknown, properties: Options.Publish = {}) => {
    const messageId = randomUUID();
    await client.publish(EVENTS_EXCHANGE, FixtureRecorded.type, body, {
      messageId,
      type: FixtureRecorded.type,
      contentType: 'application/json',
      headers: { 'x-correlation-id': 'corr-enhancers' },
      ...properties,
    });
    return messageId;
  };

  const effectsOf = async (messageId: string) =>
    (await db.select().from(effects).where(eq(effects.messageId, messageId))).map(
      ({ value, attempt }) => ({ value, attempt }),
    );

  const handled = (messageId: string, count: number) =>
    waitFor(
      async () => {
        const rows = await effectsOf(messageId);
        return rows.length >= count ? rows : undefined;
      },
      { description: `${count} effects of ${messageId}` },
    );

  beforeAll(async () => {
    fixture = await startIsolatedFixture('enhancers', {
      env: { RETRY_DELAYS_MS: '100,300' },
      handlers: {
        controllers: [EnhancedController, GuardedEchoController],
        providers: [AuditInterceptor, { provide: APP_INTERCEPTOR, useClass: GlobalProbe }],
      },
    });
    ({ client, db } = fixture);
  });

  afterAll(() => fixture?.dispose());

  it('runs global and controller interceptors and parameter pipes inside the inbox transaction', async () => {
    const messageId = await send({ value: 'quiet' });
    const rows = await handled(messageId, 2);
    expect(rows).toEqual(
      expect.arrayContaining([
        { value: 'audited', attempt: 1 },
        { value: 'QUIET', attempt: 1 },
      ]),
    );
    expect(seen).toContainEqual({
      interceptor: 'global',
      messageId,
      type: FixtureRecorded.type,
      inTransaction: true,
    });
  });

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
