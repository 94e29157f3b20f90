import { createServer, type Server } from 'node:http';
import { freePort } from './free-port';
import {
  explainInfrastructureProblems,
  findInfrastructureProblems,
  probeManagement,
  requireInfrastructure,
} from './infrastructure-check';

/** Settings whose every address is a port nothing listens on. */
async function nothingListening() {
  const [amqp, management, postgres] = await Promise.all([freePort(), freePort(), freePort()]);
  return {
    rabbitmqUrl: `amqp://guest:s3cret@127.0.0.1:${amqp}`,
    managementUrl: `http://127.0.0.1:${management}`,
    databaseUrl: `postgres://postgres:s3cret@127.0.0.1:${postgres}/postgres`,
  };
}

/** A stand-in management API answering every request with `status`. */
async function managementAnswering(status: number): Promise<{ server: Server; url: string }> {
  const server = createServer((_request, response) => response.writeHead(status).end('{}'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { server, url: `http://127.0.0.1:${port}` };
}

describe('infrastructure check', () => {
  it('names the broker and the database when neither answers, with the command that starts each', async () => {
    const settings = await nothingListening();

    const problems = await findInfrastructureProblems(settings);

    expect(problems).toEqual([
      {
        what: `RabbitMQ at ${new URL(settings.rabbitmqUrl).host}`,
        reason: 'connection refused',
        fix: expect.stringContaining('`docker compose up -d rabbitmq`'),
      },
      {
        what: `PostgreSQL at ${new URL(settings.databaseUrl).host}`,
        reason: 'connection refused',
        fix: expect.stringContaining('`docker compose up -d postgres`'),
      },
    ]);
    expect(JSON.stringify(problems)).not.toContain('s3cret');
  });

  it('tells to enable the management plugin when its API does not answer', async () => {
    const settings = await nothingListening();

    await expect(probeManagement(settings)).resolves.toEqual({
      what: `the RabbitMQ management API at ${new URL(settings.managementUrl).host}`,
      reason: 'connection refused',
      fix: expect.stringContaining('`rabbitmq-plugins enable rabbitmq_management`'),
    });
  });

  it('tells to use an administrator when the management API refuses the login', async () => {
    const { server, url } = await managementAnswering(401);
    try {
      const settings = { ...(await nothingListening()), managementUrl: url };

      await expect(probeManagement(settings)).resolves.toMatchObject({
        reason: 'answered 401',
        fix: expect.stringContaining('administrator'),
      });
    } finally {
      server.close();
    }
  });

  it('is satisfied by a management API that answers', async () => {
    const { server, url } = await managementAnswering(200);
    try {
      const settings = { ...(await nothingListening()), managementUrl: url };

      await expect(probeManagement(settings)).resolves.toBeUndefined();
    } finally {
      server.close();
    }
  });

  it('explains in a few lines: each problem, its fix, and that unit tests need nothing', () => {
    const text = explainInfrastructureProblems([
      { what: 'RabbitMQ at 127.0.0.1:5672', reason: 'connection refused', fix: 'start it' },
      { what: 'PostgreSQL at 127.0.0.1:5432', reason: 'connection refused', fix: 'start it too' },
    ]);

    expect(text.split('\n')).toEqual([
      'These tests need RabbitMQ (with its management API) and PostgreSQL, and cannot use:',
      '  - RabbitMQ at 127.0.0.1:5672: connection refused',
      '      start it',
      '  - PostgreSQL at 127.0.0.1:5432: connection refused',
      '      start it too',
      'Unit tests need neither: npm run test:unit',
    ]);
  });

  it('fails a global setup with the explanation alone, no stack trace', async () => {
    const error = await requireInfrastructure(await nothingListening()).catch(
      (caught: unknown) => caught as Error,
    );

    expect(error).toBeInstanceOf(Error);
    expect(error!.stack).toBe(error!.message);
    expect(error!.message).toContain('docker compose up -d rabbitmq');
    expect(error!.message).not.toMatch(/^\s+at /m);
  });
});
