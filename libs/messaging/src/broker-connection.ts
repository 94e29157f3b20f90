import { AmqpConnection } from '@golevelup/nestjs-rabbitmq';
import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { connectionFailure, safeAddress } from './first-node';

/** A connection that keeps failing for the same reason is reported again after this long. */
const REPEAT_FAILURE_AFTER_MS = 30_000;

/**
 * The service's one AMQP connection, as the other libraries may see it: up or not, and whether
 * the broker has blocked it. RabbitMQ blocks a connection that publishes while it is low on
 * memory or disk (a resource alarm): it stops reading from it, so a publish waits for a confirm
 * that does not come until the alarm clears, and the acks sent on it wait too.
 */
@Injectable()
export class BrokerConnection implements OnModuleInit {
  private readonly logger = new Logger(BrokerConnection.name);
  private blocked?: { reason: string; since: number };
  private readonly whenPublishable: (() => void)[] = [];
  private lastFailure?: { text: string; at: number };

  constructor(private readonly amqp: AmqpConnection) {}

  onModuleInit(): void {
    const connection = this.amqp.managedConnection;
    connection.on('blocked', ({ reason }: { reason: string }) => this.onBlocked(reason));
    connection.on('unblocked', () => {
      this.onUnblocked('the broker unblocked it');
      this.publishable();
    });
    // A new connection starts unblocked; the broker blocks it again if it publishes in an alarm.
    connection.on('disconnect', () => this.onUnblocked('it was closed'));
    connection.on('connect', () => {
      this.lastFailure = undefined;
      this.publishable();
    });
    connection.on('connectFailed', ({ err, url }: { err: unknown; url?: unknown }) =>
      this.onConnectFailed(err, url),
    );
  }

  /**
   * Calls `listener` each time a publish becomes possible again: on each (re)connection and when
   * the broker lifts a block. Whoever holds back work while it cannot publish resumes at once.
   */
  onPublishable(listener: () => void): void {
    this.whenPublishable.push(listener);
  }

  get isConnected(): boolean {
    return this.amqp.managedConnection.isConnected();
  }

  /**
   * Down, and an attempt to connect has failed since it was last up: not a blip the next attempt
   * (a second on) may end, so what is sent now would wait unsent for longer than a caller does.
   */
  get isUnreachable(): boolean {
    return !this.isConnected && this.lastFailure !== undefined;
  }

  /** Why the broker blocked the connection (RabbitMQ's words), while it does. */
  get blockedReason(): string | undefined {
    return this.blocked?.reason;
  }

  /** Connected and not blocked: a publish now would be read, and confirmed, by the broker. */
  get canPublish(): boolean {
    return this.isConnected && this.blocked === undefined;
  }

  private publishable(): void {
    for (const listener of this.whenPublishable) listener();
  }

  /**
   * Says why an attempt failed (refused login, unknown virtual host, nothing listening): the
   * first time, when the reason changes, and every 30 s while it lasts, not at every retry.
   */
  private onConnectFailed(error: unknown, url: unknown): void {
    const where = typeof url === 'string' ? ` at ${safeAddress(url)}` : '';
    const text = `Cannot connect to RabbitMQ${where}: ${connectionFailure(error)}`;
    const now = Date.now();
    const last = this.lastFailure;
    if (last?.text === text && now - last.at < REPEAT_FAILURE_AFTER_MS) return;
    this.lastFailure = { text, at: now };
    this.logger.warn(`${text}; trying again`);
  }

  private onBlocked(reason: string): void {
    this.blocked = { reason, since: Date.now() };
    this.logger.warn(
      `RabbitMQ blocked this connection (${reason}): publishes and acks wait until it clears ` +
        'the alarm; the outbox keeps its events until then',
    );
  }

  private onUnblocked(why: string): void {
    if (!this.blocked) return;
    const seconds = ((Date.now() - this.blocked.since) / 1000).toFixed(1);
    this.blocked = undefined;
    this.logger.log(`The connection is no longer blocked after ${seconds} s: ${why}`);
  }
}
