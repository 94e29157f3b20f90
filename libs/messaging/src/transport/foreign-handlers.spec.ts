import { RabbitRPC, RabbitSubscribe } from '@golevelup/nestjs-rabbitmq';
import { Controller, Injectable, type Type } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { ForeignHandlerCheck } from './foreign-handlers';

@Injectable()
class LegacySubscriber {
  @RabbitSubscribe({ exchange: 'events', routingKey: 'order.created', queue: 'legacy' })
  onOrderCreated(): void {}
}

@Controller()
class LegacyResponder {
  @RabbitRPC({ exchange: 'rpc', routingKey: 'legacy.rpc', queue: 'legacy.rpc' })
  answer(): void {}
}

@Injectable()
class PlainService {
  work(): void {}
}

async function checkWith(providers: Type[], controllers: Type[] = []) {
  const module = await Test.createTestingModule({
    imports: [DiscoveryModule],
    providers: [ForeignHandlerCheck, ...providers],
    controllers,
  }).compile();
  return () => module.get(ForeignHandlerCheck).assertNone();
}

describe('ForeignHandlerCheck', () => {
  it('lets a service without golevelup handlers boot', async () => {
    expect(await checkWith([PlainService])).not.toThrow();
  });

  it('names the method using @RabbitSubscribe and its Nest-native equivalent', async () => {
    expect(await checkWith([PlainService, LegacySubscriber])).toThrow(
      'LegacySubscriber.onOrderCreated uses @RabbitSubscribe, use @EventPattern(<contract>) on a @MessageController(<queue>) instead',
    );
  });

  it('finds @RabbitRPC on a controller too', async () => {
    expect(await checkWith([], [LegacyResponder])).toThrow(
      'LegacyResponder.answer uses @RabbitRPC, use @MessagePattern(<contract>) on a @MessageController(<queue>) instead',
    );
  });
});
