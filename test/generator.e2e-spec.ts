import type { ServiceName } from '@app/services';
import { repositoryRoot, ServiceProcess, waitFor } from '@app/testing';
import { execFileSync, spawn } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Client } from 'pg';
import { objectsOf, OVERLAYS, renderOverlay, validate } from './deployment/k8s/manifests';
import { anOrder, Stack } from './support/stack';

const ROOT = repositoryRoot();
/**
 * Not a registered service here: it exists only in the copy the generators write into. The docs'
 * example name, unless a user of the template generated it already (the copy would have it).
 */
const SHIPPING = ['shipping', 'parcel', 'courier', 'freight'].find(
  (name) => !existsSync(join(ROOT, 'apps', name)),
) as ServiceName;

/** The repository as a fresh clone has it: its tracked files, with this install's node_modules. */
function copyOfRepository(): string {
  const copy = mkdtempSync(join(tmpdir(), 'generator-'));
  const files = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT }).toString().split('\0');
  for (const file of files.filter((name) => name && existsSync(join(ROOT, name)))) {
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    copyFileSync(join(ROOT, file), join(copy, file));
  }
  symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'));
  return copy;
}

/** Runs a command in `cwd`; resolves with its output, rejects with it when it fails. */
function run(cwd: string, command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) =>
      code === 0 ? resolve(output) : reject(new Error(`${command} ${args.join(' ')}:\n${output}`)),
    );
  });
}

/**
 * What docs/extending.md promises: `generate service shipping` and `generate handler shipping
 * order.paid` in a copy of the repository give a service that builds, whose generated tests pass,
 * that boots beside the three others and handles order.paid once an order is paid; and `generate
 * handler payment order.paid` adds to an existing service without breaking its tests.
 */
describe('npm run generate: a shipping service that handles order.paid', () => {
  let copy: string;
  let stack: Stack | undefined;

  beforeAll(async () => {
    copy = copyOfRepository();
    await run(copy, 'npm', ['run', '-s', 'generate', '--', 'service', SHIPPING]);
    await run(copy, 'npm', ['run', '-s', 'generate', '--', 'handler', SHIPPING, 'order.paid']);
    // And a handler on a service of the template's own, which has queues and tests already.
    await run(copy, 'npm', ['run', '-s', 'generate', '--', 'handler', 'payment', 'order.paid']);
  });

  afterAll(async () => {
    await stack?.stop();
    rmSync(copy, { recursive: true, force: true });
  });

  it.each(OVERLAYS)(
    'deploys it with the %s overlay, scaled by KEDA on its order-events queue',
    (overlay) => {
      const yaml = renderOverlay(overlay, copy);
      expect(validate(yaml).filter((result) => result.errors.length > 0)).toEqual([]);
      const shipping = objectsOf(yaml).filter((object) => object.metadata.name === SHIPPING);
      expect(shipping.map((object) => object.kind).sort()).toEqual(
        ['Deployment', 'PodDisruptionBudget', 'ScaledObject', 'Service'].sort(),
      );
      // Every node of the overlay's RabbitMQ cluster in its URL, as for the others.
      const container = shipping.find((object) => object.kind === 'Deployment')?.spec.template.spec
        .containers[0] as { env: { name: string; value?: string }[] };
      const url = container.env.find((variable) => variable.name === 'RABBITMQ_URL')?.value;
      expect(url?.split(',').map((node) => new URL(node).hostname)).toEqual(
        Array.from(
          { length: overlay === 'dev' ? 1 : 3 },
          (_, node) => `rabbitmq-server-${node}.rabbitmq-nodes`,
        ),
      );
      const scaled = shipping.find((object) => object.kind === 'ScaledObject');
      expect(scaled?.spec.scaleTargetRef).toEqual({ name: SHIPPING });
      expect(
        (scaled?.spec.triggers as { metadata: { queueName: string } }[]).map(
          (trigger) => trigger.metadata.queueName,
        ),
      ).toEqual([`${SHIPPING}.order-events`]);
      // Its broker password: in the dev overlay's Secret; elsewhere the Secret is the operator's.
      const passwords = objectsOf(yaml).find(
        (object) => object.kind === 'Secret' && object.metadata.name === 'rabbitmq-service-users',
      )?.stringData;
      if (overlay === 'dev') expect(passwords?.[SHIPPING]).toBe(`${SHIPPING}-dev-only-password`);
      else expect(passwords).toBeUndefined();
      const payment = objectsOf(yaml).find(
        (object) => object.kind === 'ScaledObject' && object.metadata.name === 'payment',
      );
      expect(
        (payment?.spec.triggers as { metadata: { queueName: string } }[]).map(
          (trigger) => trigger.metadata.queueName,
        ),
      ).toEqual(['payment.order-created', 'payment.refund-requests', 'payment.order-events']);
    },
  );

  it('builds, its generated tests pass, and it handles order.paid beside the others', async () => {
    // The build, the type check of everything the generators touched (specs too) and the unit
    // tests of the services they changed, at once: the slow part of this test.
    await Promise.all([
      run(copy, 'npx', ['nest', 'build', SHIPPING]),
      run(copy, 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']),
      run(copy, 'npx', [
        'jest',
        '--selectProjects',
        'unit',
        '--',
        `apps/${SHIPPING}`,
        'apps/payment',
        'libs/services',
      ]),
    ]);

    // The tracing preload is the libraries' own, which the generators leave as they are: this
    // repository's build (the suite's global setup) serves the copy too.
    cpSync(join(ROOT, 'dist/libs/telemetry'), join(copy, 'dist/libs/telemetry'), {
      recursive: true,
    });

    stack = await Stack.start('generator');
    const shipping = await ServiceProcess.start(SHIPPING, stack.env, copy);
    stack.started.push(shipping);
    await stack.explained(shipping.ready());

    const { body: order } = await stack.placeOrder(anOrder());
    const settled = await stack.settledOrder(order.id as string);
    expect(settled.body.status).toBe('PAID');

    const database = new Client({ connectionString: stack.env.DATABASE_URL });
    await database.connect();
    try {
      const handled = await stack.explained(
        waitFor(
          async () => {
            const { rows } = await database.query<{ handler: string }>(
              `select handler from ${SHIPPING}.inbox`,
            );
            return rows.length > 0 ? rows : undefined;
          },
          { description: `${SHIPPING} to record order.paid in its inbox`, timeoutMs: 15_000 },
        ),
      );
      expect(handled).toEqual([{ handler: `${SHIPPING}.order-events#order.paid` }]);
    } finally {
      await database.end();
    }
    expect(shipping.logs.join('\n')).toContain(`Handled order.paid`);
  });
});
