import {
  FixtureEchoController,
  FixtureRecordedController,
  isolate,
  type Isolation,
  startFixtureApp,
} from '@app/testing';
import { RabbitSubscribe } from '@golevelup/nestjs-rabbitmq';
import { Injectable } from '@nestjs/common';

/** What a NestJS engineer who knows golevelup might write first. */
@Injectable()
class AuditSubscriber {
  @RabbitSubscribe({ exchange: 'events', routingKey: '#', queue: 'audit' })
  onAnyEvent(): void {}
}

describe("golevelup's handler decorators in a service", () => {
  let isolation: Isolation;

  beforeAll(async () => {
    isolation = await isolate('foreign-handlers');
  });

  afterAll(async () => {
    await isolation?.dispose();
  });

  it('stop boot with one line naming the method and the Nest-native equivalent', async () => {
    const boot = startFixtureApp(isolation.env, undefined, {
      controllers: [FixtureRecordedController, FixtureEchoController],
      providers: [AuditSubscriber],
    });

    await expect(boot).rejects.toThrow(
      new Error(
        "AuditSubscriber.onAnyEvent uses @RabbitSubscribe, use @EventPattern(<contract>) on a @MessageController(<queue>) instead: golevelup's handlers are not registered in this project",
      ),
    );
  });
});
