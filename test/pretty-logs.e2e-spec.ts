import { isolate, type Isolation, repositoryRoot, ServiceProcess, waitFor } from '@app/testing';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';

const TIME = String.raw`\[\d\d:\d\d:\d\d\.\d{3}\]`;

describe('Logs in development: LOG_FORMAT=pretty', () => {
  let isolation: Isolation;
  let service: ServiceProcess;

  beforeAll(async () => {
    isolation = await isolate('pretty-logs');
    service = await ServiceProcess.start('notification', {
      ...isolation.env,
      LOG_FORMAT: 'pretty',
    });
    await service.ready();
  });

  afterAll(async () => {
    await service?.stop();
    await isolation?.dispose();
  });

  it('is what npm run start:dev sets, and only it', () => {
    const { scripts } = JSON.parse(
      readFileSync(join(repositoryRoot(), 'package.json'), 'utf8'),
    ) as {
      scripts: Record<string, string>;
    };
    const pretty = Object.keys(scripts).filter((name) => scripts[name].includes('LOG_FORMAT'));
    expect(pretty).toEqual(['start:dev']);
    expect(scripts['start:dev']).toContain('LOG_FORMAT=pretty concurrently');
  });

  it('prints readable lines, each with the correlation id of the request behind it', async () => {
    const orderId = randomUUID();
    await request(service.url)
      .get(`/notifications?orderId=${orderId}`)
      .set('x-correlation-id', 'pretty-logs-1')
      .expect(200);

    const line = await waitFor(
      () => service.logs.find((logged) => logged.includes('correlationId=pretty-logs-1')),
      { description: 'the request to be logged' },
    );
    expect(line).toMatch(
      new RegExp(
        `^${TIME} INFO: GET /notifications\\?orderId=${orderId} 200 in \\d+ ms correlationId=pretty-logs-1$`,
      ),
    );
    expect(service.logs).toContainEqual(
      expect.stringMatching(new RegExp(`^${TIME} INFO: \\[NestApplication\\] `)),
    );
    expect(service.logs.filter((logged) => logged.startsWith('{'))).toEqual([]);
  });

  it('still drains on SIGTERM, exits 0, and its last lines reach the terminal', async () => {
    expect(await service.stop()).toBe(0);
    expect(service.logs.at(-1)).toMatch(
      new RegExp(`^${TIME} INFO: \\[notification\\] Shut down cleanly$`),
    );
  });
});
