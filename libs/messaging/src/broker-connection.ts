import { AmqpConnection } from '@golevelup/nestjs-rabbitmq';
import { Injectable } from '@nestjs/common';

/** The service's one AMQP connection, as the other libraries may see it: up or not. */
@Injectable()
export class BrokerConnection {
  constructor(private readonly amqp: AmqpConnection) {}

  get isConnected(): boolean {
    return this.amqp.managedConnection.isConnected();
  }
}
