import { Logger } from '@nestjs/common';

/**
 * golevelup's notices that mislead in this setup are demoted to debug: it registers no handlers
 * (the consumers here are this library's own) and, booting without waiting for the broker, it
 * reports a connection before there is one. The real connect and disconnect lines stay.
 */
const MISLEADING = [
  /^Skipping RabbitMQ Handlers/,
  /^Successfully connected to RabbitMQ$/,
  /^Skipping connection health checks/,
];

export class RabbitMqLogger extends Logger {
  override log(message: unknown, ...rest: unknown[]): void {
    if (typeof message === 'string' && MISLEADING.some((pattern) => pattern.test(message))) {
      super.debug(message, ...rest);
      return;
    }
    super.log(message, ...rest);
  }
}
