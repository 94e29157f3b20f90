import { consumerQueueOptions } from '@app/messaging';
import { freePort, isolate, type Isolation, startFixtureApp, waitFor } from '@app/testing';
import type { INestApplication } from '@nestjs/common';
import { connect } from 'amqplib';
import request from 'supertest';

/** The URL of a node that is not there: same account and virtual host, a port nobody serves. */
async function deadNodeUrl(url: string): Promise<string> {
  const dead = new URL(url);
  dead.hostname = '127.0.0.1';
  dead.port = String(await freePort());
  return dead.toString();
}

describe('cluster settings (in-process, real RabbitMQ and PostgreSQL)', () => {
  let isolation: Isolation;
  let app: INestApplication | undefined;

  const consuming = async () => {
    const response = await request(app!.getHttpServer()).get('/health/ready');
    return response.status === 200 && response.body.info?.consumers?.status === 'up';
  };

  beforeEach(async () => {
    isolation = await isolate('cluster-settings');
  });

  afterEach(async () => {
    await app?.close();
    app = undefined;
    await isolation?.dispose();
  });

  it('connects to the next node of RABBITMQ_URL when the first does not answer', async () => {
    const { RABBITMQ_URL: live } = isolation.env;
    const nodes = `${await deadNodeUrl(live)},${live}`;
    app = await startFixtureApp({ ...isolation.env, RABBITMQ_URL: nodes });
    await waitFor(consuming, { description: 'the consumers to attach through the second node' });
  });

  it('keeps consuming a queue that exists with other arguments (QUORUM_INITIAL_GROUP_SIZE set later)', async () => {
    const connection = await connect(isolation.env.RABBITMQ_URL);
    try {
      const channel = await connection.createChannel();
      // As declared by an earlier release that left the group size to the broker.
      await channel.assertQueue('fixture.events', consumerQueueOptions('fixture.events'));
      await channel.close();
    } finally {
      await connection.close();
    }
    app = await startFixtureApp({ ...isolation.env, QUORUM_INITIAL_GROUP_SIZE: '1' });
    await waitFor(consuming, { description: 'the consumers to attach to the existing queue' });
  });
});
