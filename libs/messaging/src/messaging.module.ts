import { type BaseConfig, brokerUrls, TRANSPORT_STRATEGY } from '@app/platform';
import { RabbitMQModule } from '@golevelup/nestjs-rabbitmq';
import { DynamicModule, Global, Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DiscoveryModule } from '@nestjs/core';
import { randomBytes } from 'node:crypto';
import { BrokerConnection } from './broker-connection';
import { ConsumerHost } from './consuming/consumer-host';
import { DeadLetterListeners } from './consuming/dead-letter-listeners';
import { CONNECT_TIMEOUT_MS } from './first-node';
import { MESSAGING_OPTIONS, type MessagingModuleOptions } from './messaging.options';
import { MessagePublisher } from './publishing/message-publisher';
import { brokerBlockedGauge } from './monitoring/broker-blocked.gauge';
import { QueueDepthProbe, queueDepthGauges } from './monitoring/queue-depth.probe';
import { AmqpClient } from './rpc/amqp.client';
import { RpcClient } from './rpc/rpc-client';
import { RabbitMqLogger } from './rabbitmq-logger';
import { SHARED_EXCHANGES } from './topology/declare-topology';
import { AmqpTransport } from './transport/amqp.transport';
import { ForeignHandlerCheck } from './transport/foreign-handlers';

function rabbitConfig(config: ConfigService<BaseConfig, true>, service: string) {
  return {
    // golevelup keys connections by name in a process-wide registry; a unique name keeps two
    // instances in one process (as in tests) from replacing each other's connection.
    name: `${service}-${process.pid}-${randomBytes(3).toString('hex')}`,
    // The nodes of one cluster: the first that answers, and the next one after a connection loss.
    uri: brokerUrls(config.get('RABBITMQ_URL', { infer: true })),
    // Boot without waiting: the app starts, readiness reports the broker, and channels and
    // consumers attach (and re-attach) whenever the broker is reachable.
    // BrokerConnection says why a connection attempt failed; golevelup's line does not.
    connectionInitOptions: { wait: false, skipConnectionFailedLogging: true },
    connectionManagerOptions: {
      heartbeatIntervalInSeconds: 10,
      reconnectTimeInSeconds: 1,
      // Nagle's algorithm meeting delayed ACKs costs ~40 ms per sequential RPC.
      connectionOptions: {
        noDelay: true,
        timeout: CONNECT_TIMEOUT_MS,
        clientProperties: { connection_name: service },
      },
    },
    exchanges: SHARED_EXCHANGES.map(({ name, type }) => ({
      name,
      type,
      options: { durable: true },
    })),
    registerHandlers: false,
    // RpcClient consumes direct reply-to on a channel of its own.
    enableDirectReplyTo: false,
    defaultPublishOptions: { persistent: true },
    logger: new RabbitMqLogger('RabbitMQ'),
  };
}

/**
 * One AMQP connection per service (golevelup's), with a publisher channel, one channel per
 * consumed queue and the RPC client. The AmqpTransport, connected as the app's microservice by
 * the shared boot, binds the `@MessageController`s' handlers to the queues of `options.topology`.
 */
@Global()
@Module({})
export class MessagingModule {
  static forRoot(options: MessagingModuleOptions): DynamicModule {
    return {
      module: MessagingModule,
      imports: [
        DiscoveryModule,
        RabbitMQModule.forRootAsync({
          inject: [ConfigService],
          useFactory: (config: ConfigService<BaseConfig, true>) =>
            rabbitConfig(config, options.service),
        }),
      ],
      providers: [
        { provide: MESSAGING_OPTIONS, useValue: options },
        MessagePublisher,
        BrokerConnection,
        ConsumerHost,
        DeadLetterListeners,
        AmqpTransport,
        ForeignHandlerCheck,
        { provide: TRANSPORT_STRATEGY, useExisting: AmqpTransport },
        RpcClient,
        AmqpClient,
        QueueDepthProbe,
        ...queueDepthGauges,
        brokerBlockedGauge,
      ],
      exports: [
        MESSAGING_OPTIONS,
        MessagePublisher,
        BrokerConnection,
        ConsumerHost,
        RpcClient,
        AmqpClient,
        RabbitMQModule,
        TRANSPORT_STRATEGY,
      ],
    };
  }
}
