import { Injectable, Scope } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { type DeadLetteredMessage, DeadLetterListener } from './dead-letter-listener';
import { DeadLetterListeners } from './dead-letter-listeners';

const message: DeadLetteredMessage = {
  messageId: 'm-1',
  type: 'order.created',
  queue: 'payment.order-created',
  headers: {},
  reason: 'order o-1 does not exist',
  attempt: 1,
  payload: { orderId: 'o-1' },
};

const told: string[] = [];

@Injectable()
class StepFailures extends DeadLetterListener {
  deadLettered(heard: DeadLetteredMessage): Promise<void> {
    told.push(`steps ${heard.messageId}`);
    return Promise.resolve();
  }
}

@Injectable()
class DeliveryFailures extends DeadLetterListener {
  deadLettered(heard: DeadLetteredMessage): Promise<void> {
    told.push(`deliveries ${heard.messageId}`);
    return Promise.resolve();
  }
}

@Injectable()
class SomethingElse {}

@Injectable({ scope: Scope.REQUEST })
class PerRequestFailures extends DeadLetterListener {
  deadLettered(): Promise<void> {
    return Promise.resolve();
  }
}

async function listenersOf(providers: Parameters<typeof Test.createTestingModule>[0]['providers']) {
  const moduleRef = await Test.createTestingModule({
    imports: [DiscoveryModule],
    providers: [DeadLetterListeners, ...(providers ?? [])],
  }).compile();
  await moduleRef.init();
  return moduleRef.get(DeadLetterListeners);
}

describe('DeadLetterListeners', () => {
  beforeEach(() => (told.length = 0));

  it('tells every provider that extends DeadLetterListener, each once', async () => {
    const listeners = await listenersOf([
      StepFailures,
      SomethingElse,
      DeliveryFailures,
      // The same instance under a second token is told once.
      { provide: 'ALIAS', useExisting: StepFailures },
      // A listener given as a value or made by a factory is one too.
      { provide: 'GIVEN', useValue: new DeliveryFailures() },
      { provide: 'MADE', useFactory: () => new StepFailures() },
    ]);
    await listeners.deadLettered(message);
    expect(told.sort()).toEqual(['deliveries m-1', 'deliveries m-1', 'steps m-1', 'steps m-1']);
    expect(listeners.all).toHaveLength(4);
  });

  it('tells no one when the application has no listener', async () => {
    const listeners = await listenersOf([SomethingElse]);
    await expect(listeners.deadLettered(message)).resolves.toBeUndefined();
    expect(listeners.all).toEqual([]);
  });

  it('stops at the first listener that throws, for the record to roll back', async () => {
    const listeners = await listenersOf([StepFailures, DeliveryFailures]);
    const [first] = listeners.all;
    jest.spyOn(first, 'deadLettered').mockRejectedValueOnce(new Error('pool timeout'));
    await expect(listeners.deadLettered(message)).rejects.toThrow('pool timeout');
    expect(told).toEqual([]);
  });

  it('stops boot on a request-scoped listener, naming it', async () => {
    await expect(listenersOf([PerRequestFailures])).rejects.toThrow(
      'PerRequestFailures is a DeadLetterListener and request- or transient-scoped: a listener needs a singleton',
    );
  });
});
