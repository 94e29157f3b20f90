import { Injectable, Logger } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { NotificationRow } from '../db/notification.tables';
import type { NotificationConfig } from '../notification.config';
import {
  NotificationSender,
  SenderUnavailableError,
  UndeliverableNotificationError,
} from './notification-sender';

/**
 * Logs instead of sending. Refuses every send on the NOTIFICATION_UNDELIVERABLE_CHANNELS for good,
 * and fails on a NOTIFICATION_TRANSIENT_FAILURE_RATE share of the others.
 */
@Injectable()
export class FakeNotificationSender extends NotificationSender {
  private readonly logger = new Logger('FakeNotificationSender');
  private readonly transientFailureRate: number;
  private readonly undeliverableChannels: ReadonlySet<string>;
  /** Replaceable in unit tests to make the transient failures deterministic. */
  random: () => number = Math.random;

  constructor(config: ConfigService<NotificationConfig, true>) {
    super();
    this.transientFailureRate = config.get('NOTIFICATION_TRANSIENT_FAILURE_RATE', { infer: true });
    this.undeliverableChannels = new Set(
      config.get('NOTIFICATION_UNDELIVERABLE_CHANNELS', { infer: true }),
    );
  }

  send(notification: NotificationRow): Promise<void> {
    if (this.undeliverableChannels.has(notification.channel)) {
      return Promise.reject(
        new UndeliverableNotificationError(
          `${notification.channel} refuses notifications (NOTIFICATION_UNDELIVERABLE_CHANNELS)`,
        ),
      );
    }
    if (this.random() < this.transientFailureRate) {
      return Promise.reject(
        new SenderUnavailableError('notification sender is temporarily unavailable'),
      );
    }
    // The DELIVERED line that follows tells the story; this one is for debugging the fake.
    this.logger.debug(
      `Sent ${notification.kind} for order ${notification.orderId} by ${notification.channel}`,
    );
    return Promise.resolve();
  }
}
