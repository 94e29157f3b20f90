// Shared by the enhancers*.int-spec.ts files.
import { EVENTS_EXCHANGE } from '@app/contracts';
import {
  deadLetterQueueName,
  type MessageContext,
  MessageController,
  PermanentMessageError,
} from '@app/messaging';
import { type DatabaseTransactionHost } from '@app/platform';
import {
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
export const DLQ = deadLetterQueueName(QUEUE);

/** What the enhancers saw, for the assertions. */
export const seen: {
  interceptor: string;
  messageId?: string;
  type: string;
  inTransaction: boolean;
}[] = [];

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

/** An effects row as the assertions compare it. */
type Effect = { value: string; attempt: number };

/** The fixture service with the enhanced handlers, and what the specs send and read it with. */
export interface EnhancersFixture extends IsolatedFixture {
  /** Publishes a FixtureRecorded event to the events exchange; resolves to its message id. */
  readonly send: (body: unknown, properties?: Options.Publish) => Promise<string>;
  /** The effects the handler and the interceptors wrote, and kept, for a message. */
  readonly effectsOf: (messageId: string) => Promise<Effect[]>;
  /** Waits until a message has at least `count` effects; resolves to them. */
  readonly handled: (messageId: string, count: number) => Promise<Effect[]>;
}

/** Starts the fixture on a virtual host and database of `label`'s own (dispose() in afterAll). */
export async function startEnhancersFixture(label: string): Promise<EnhancersFixture> {
  const fixture = await startIsolatedFixture(label, {
    env: { RETRY_DELAYS_MS: '100,300' },
    handlers: {
      controllers: [EnhancedController, GuardedEchoController],
      providers: [AuditInterceptor, { provide: APP_INTERCEPTOR, useClass: GlobalProbe }],
    },
  });
  const { client, db } = fixture;

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

  return { ...fixture, send, effectsOf, handled };
}
