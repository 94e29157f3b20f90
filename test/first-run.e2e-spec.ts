import { freePort, repositoryRoot } from '@app/testing';
import { spawn } from 'node:child_process';

interface Run {
  code: number | null;
  output: string;
}

/** Runs `npm <args>` in the repository with `env` over this process's, and collects its output. */
function npm(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', args, {
      cwd: repositoryRoot(),
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, output }));
  });
}

describe('A first run without RabbitMQ and PostgreSQL', () => {
  let nowhere: Record<string, string>;

  beforeAll(async () => {
    const [amqp, management, postgres] = await Promise.all([freePort(), freePort(), freePort()]);
    nowhere = {
      RABBITMQ_URL: `amqp://guest:guest@127.0.0.1:${amqp}`,
      RABBITMQ_MANAGEMENT_URL: `http://guest:guest@127.0.0.1:${management}`,
      DATABASE_URL: `postgres://postgres@127.0.0.1:${postgres}/postgres`,
    };
  });

  it('npm test says once, in a few lines, what is missing and how to fix it, and runs no suite', async () => {
    const run = await npm(['test'], nowhere);

    expect(run.code).not.toBe(0);
    const explanation = run.output.slice(run.output.indexOf('These tests need'));
    expect(explanation.split('\n').filter(Boolean).length).toBeLessThanOrEqual(8);
    expect(explanation).toContain('docker compose up -d rabbitmq');
    expect(explanation).toContain('docker compose up -d postgres');
    expect(run.output.match(/These tests need/g)).toHaveLength(1);
    expect(run.output).not.toMatch(/PASS|FAIL|Test Suites:|Building/);
  });

  it('npm run test:unit needs neither', async () => {
    const only = 'infrastructure-check\\.spec';
    const run = await npm(['run', 'test:unit', '--', '--testPathPatterns', only], nowhere);

    expect(run.output).toMatch(/Test Suites: 1 passed, 1 total/);
    expect(run.code).toBe(0);
  });
});
