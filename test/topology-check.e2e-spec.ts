import { SERVICES } from '@app/services';
import { testSettings } from '@app/testing';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Stack } from './support/stack';

const CLI = join(__dirname, '..', 'dist', 'tools', 'topology', 'main.js');

describe('npm run topology:check against the booted services', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await Stack.start('topology');
  });

  afterAll(() => stack?.stop());

  it('finds the broker in step with what the running services declare: one line, exit code 0', () => {
    // The services' own environment (its RETRY_DELAYS_MS included), as an operator runs it.
    const management = testSettings.managementUrl;
    const run = spawnSync(process.execPath, [CLI, 'check'], {
      env: {
        PATH: process.env.PATH ?? '',
        ...stack.env,
        ...(management && { RABBITMQ_MANAGEMENT_URL: management }),
      },
      encoding: 'utf8',
    });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    expect(run.stdout).toMatch(
      new RegExp(`^Topology OK: the ${SERVICES.length} services' \\d+ queues and \\d+ bindings`),
    );
  });
});
