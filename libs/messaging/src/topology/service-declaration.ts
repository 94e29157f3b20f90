import type { BaseConfig } from '@app/platform';
import type { AmqpConnection } from '@golevelup/nestjs-rabbitmq';
import type { Logger } from '@nestjs/common';
import type { ConfigService } from '@nestjs/config';
import type { Channel } from 'amqplib';
import type { QueueDeclaration } from './queue-declaration';

/**
 * How a service declares its queues: its cluster settings, and a spare channel per queue on its
 * connection so a refused redeclaration closes that channel, not the caller's.
 */
export function serviceDeclaration(
  amqp: AmqpConnection,
  config: ConfigService<BaseConfig, true>,
  logger: Logger,
): QueueDeclaration {
  // Read as unknown: a ConfigService without serviceConfigModule's options falls back to
  // process.env for a key left unset, where an empty variable reads ''.
  const size: unknown = config.get('QUORUM_INITIAL_GROUP_SIZE', { infer: true });
  return {
    quorumInitialGroupSize: typeof size === 'number' ? size : undefined,
    maxLength: config.get('QUEUE_MAX_LENGTH', { infer: true }),
    openSpareChannel: (): Promise<Channel> => {
      const connection = amqp.managedConnection.connection;
      if (!connection) return Promise.reject(new Error('not connected to RabbitMQ'));
      return connection.createChannel();
    },
    warn: (message) => logger.warn(message),
  };
}
