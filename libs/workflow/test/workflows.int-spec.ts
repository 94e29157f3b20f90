import { CorrelationContext } from '@app/correlation';
import { type Database, DRIZZLE } from '@app/platform';
import {
  AmqpTestClient,
  consumerIdle,
  effects,
  failingStepLabels,
  FixtureJoin,
  FixtureStep,
  isolate,
  type Isolation,
  outbox,
  startWorkflowFixtureApp,
  waitFor,
  workflows as workflowRows,
  workflowSteps,
} from '@app/testing';
import { group, step, WorkflowPruner, Workflows, type WorkflowView } from '@app/workflow';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { INestApplication } from '@nestjs/common';
import { and, eq, isNull, like, sql } from 'drizzle-orm';
import { DlqBrowser } from '../../../tools/dlq/src/broker/dlq.browser';
import { WorkflowStore } from '../src/workflow.store';
import { replayMessages } from '../../../tools/dlq/src/commands/replay.command';

const STEPS = 'fixture.steps';
const work = (label: string, value = 1, workMs = 0) => step(FixtureStep, { label, value, workMs });

describe('Workflows on work queues (real RabbitMQ and PostgreSQL, two replicas)', () => {
  let isolation: Isolation;
  let replicas: INestApplication[] = [];
  let db: Database;
  let client: AmqpTestClient;

  /** Starts a workflow in a transaction of the first replica, as a handler or a request would. */
  const start = (begin: (workflows: Workflows) => Promise<string>): Promise<string> => {
    const app = replicas[0];
    return app
      .get(CorrelationContext)
      .run({ correlationId: 'corr-workflow', causationId: 'cause-workflow' }, () =>
        app.get(TransactionHost).withTransaction(() => begin(app.get(Workflows))),
      );
  };

  const find = (id: string) => replicas[0].get(Workflows).find(id);

  const finished = (id: string, status: WorkflowView['status'] = 'SUCCEEDED') =>
    waitFor(
      async () => {
        const workflow = await find(id);
        return workflow?.status === status && (status !== 'SUCCEEDED' || workflow.finishedAt)
          ? workflow
          : undefined;
      },
      { description: `workflow ${id} ${status}`, timeoutMs: 20_000 },
    );

  /** Nothing left in the steps queue nor in flight on any replica: every copy was handled. */
  const quiet = () =>
    waitFor(
      async () =>
        (await client.messageCount(STEPS)) === 0 &&
        replicas.every((app) => consumerIdle(app, STEPS)),
      { description: `${STEPS} empty and idle` },
    );

  const effectsLike = (pattern: string) =>
    db.select().from(effects).where(like(effects.value, pattern));

  /** The outbox rows of a workflow's jobs of one type. */
  const jobsOf = (id: string, type: string) =>
    db
      .select()
      .from(outbox)
      .where(and(eq(outbox.type, type), sql`${outbox.headers}->>'x-workflow-id' = ${id}`));

  beforeAll(async () => {
    isolation = await isolate('workflows');
    replicas = [
      await startWorkflowFixtureApp({ ...isolation.env, WORKFLOW_RETENTION_HOURS: '24' }),
      await startWorkflowFixtureApp({ ...isolation.env, WORKFLOW_RETENTION_HOURS: '24' }),
    ];
    db = replicas[0].get<Database>(DRIZZLE);
    client = await AmqpTestClient.connect(isolation.env.RABBITMQ_URL);
  });

  afterEach(() => failingStepLabels.clear());

  afterAll(async () => {
    await client?.close();
    for (const app of replicas) await app.close();
    replicas = [];
    await isolation?.dispose();
  });

  it('chains steps, each starting with the previous result', async () => {
    const id = await start((workflows) =>
      workflows.chain(work('chain', 1), step(FixtureStep), step(FixtureStep)),
    );
    const workflow = await finished(id);
    expect(workflow.steps.map((row) => [row.stage, row.status])).toEqual([
      [0, 'SUCCEEDED'],
      [1, 'SUCCEEDED'],
      [2, 'SUCCEEDED'],
    ]);
    expect(workflow.steps.map((row) => (row.result as { value: number }).value)).toEqual([2, 3, 4]);
    // Finishing keeps the last stage; a step without a payload of its own stores SQL NULL.
    expect(workflow).toMatchObject({ stage: 2, stages: 3, remaining: 0 });
    const withoutPayload = await db
      .select({ step: workflowSteps.step })
      .from(workflowSteps)
      .where(and(eq(workflowSteps.workflowId, id), isNull(workflowSteps.payload)))
      .orderBy(workflowSteps.step);
    expect(withoutPayload).toEqual([{ step: 1 }, { step: 2 }]);
    const handled = await effectsLike('chain:%');
    expect(handled.map((row) => row.value).sort()).toEqual(['chain:1', 'chain:2', 'chain:3']);
  });

  it('runs the steps of a group in parallel', async () => {
    const id = await start((workflows) =>
      workflows.group(work('g1', 1, 600), work('g2', 1, 600), work('g3', 1, 600)),
    );
    const workflow = await finished(id);
    const runs = workflow.steps.map(
      (row) => row.result as { startedAt: number; finishedAt: number },
    );
    expect(runs).toHaveLength(3);
    // Every step started before any had finished.
    expect(Math.max(...runs.map((run) => run.startedAt))).toBeLessThan(
      Math.min(...runs.map((run) => run.finishedAt)),
    );
  });

  it('runs a chord callback once, with every step delivered twice across two replicas', async () => {
    const labels = ['d1', 'd2', 'd3', 'd4'];
    const id = await start((workflows) =>
      workflows.chord(
        group(...labels.map((label, index) => work(label, index, 150))),
        step(FixtureJoin),
      ),
    );
    // A second copy of each step's job, same messageId and headers, racing the relay's.
    const jobs = await jobsOf(id, FixtureStep.type);
    expect(jobs).toHaveLength(labels.length);
    const copy = (job: (typeof jobs)[number], messageId = job.id) =>
      client.publish('', STEPS, job.payload, { messageId, type: job.type, headers: job.headers });
    await Promise.all(jobs.map((job) => copy(job)));
    // A copy under a new messageId passes the inbox; the step is not counted twice for it.
    await copy(jobs[0], '0b7c2a4e-0b7d-4f3e-9a52-1c2d3e4f5a6b');

    const workflow = await finished(id);
    await quiet();
    expect(await jobsOf(id, FixtureJoin.type)).toHaveLength(1);
    expect(await effectsLike(`join:${id}`)).toHaveLength(1);
    expect(workflow.steps.at(-1)?.result).toEqual({ total: 1 + 2 + 3 + 4 });
    // Each step names the message of its job: the group's, given when the workflow began, and
    // the callback's, sent later.
    const sent = [...jobs, ...(await jobsOf(id, FixtureJoin.type))].map((job) => job.id);
    expect(workflow.steps.map((row) => row.messageId).sort()).toEqual(sent.sort());
    for (const label of labels.slice(1)) expect(await effectsLike(`${label}:%`)).toHaveLength(1);
  });

  it('records a dead-lettered step as failed, and goes on once it is replayed', async () => {
    failingStepLabels.add('broken');
    const id = await start((workflows) =>
      workflows.chord([work('fine'), work('broken')], step(FixtureJoin)),
    );
    const failed = await finished(id, 'FAILED');
    await waitFor(async () => (await client.messageCount(`${STEPS}.dlq`)) === 1, {
      description: 'the failed step in the dead-letter queue',
    });
    const stalled = await waitFor(
      async () => {
        const workflow = await find(id);
        return workflow?.steps[0].status === 'SUCCEEDED' ? workflow : undefined;
      },
      { description: 'the other step done' },
    );
    expect(failed.steps[1]).toMatchObject({
      status: 'FAILED',
      error: expect.stringContaining('step broken fails for now') as string,
    });
    expect(stalled.steps[2].status).toBe('WAITING');
    expect(stalled.status).toBe('FAILED');
    // The count of a stage moving on while a step of it is FAILED leaves the workflow FAILED.
    await replicas[0]
      .get(TransactionHost)
      .withTransaction(() => replicas[0].get(WorkflowStore).advance(id, { remaining: 1 }));
    expect(await find(id)).toMatchObject({ status: 'FAILED', remaining: 1 });

    failingStepLabels.delete('broken');
    const browser = await DlqBrowser.connect(isolation.env.RABBITMQ_URL);
    try {
      await replayMessages({ browser, out: { line: () => undefined } }, STEPS, { all: true });
    } finally {
      await browser.close();
    }
    const resumed = await finished(id);
    expect(resumed.steps.map((row) => row.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
    expect(resumed.steps[1].error).toBeNull();
    expect(await effectsLike(`join:${id}`)).toHaveLength(1);
  });

  it('prunes succeeded workflows past WORKFLOW_RETENTION_HOURS with their steps, and keeps the rest', async () => {
    const id = (label: string) => start((workflows) => workflows.chain(work(label)));
    const [old, recent] = [await id('old'), await id('recent')];
    await Promise.all([finished(old), finished(recent)]);
    failingStepLabels.add('failed');
    const failed = await id('failed');
    await finished(failed, 'FAILED');
    await db
      .update(workflowRows)
      .set({ finishedAt: sql`now() - interval '25 hours'` })
      .where(sql`${workflowRows.id} in (${old}, ${failed})`);

    expect(await replicas[1].get(WorkflowPruner).prune()).toBe(1);
    const left = await db.select({ id: workflowRows.id }).from(workflowRows);
    expect(left.map((row) => row.id)).not.toContain(old);
    expect(left.map((row) => row.id)).toEqual(expect.arrayContaining([recent, failed]));
    const steps = await db.select().from(workflowSteps).where(eq(workflowSteps.workflowId, old));
    expect(steps).toHaveLength(0);
  });
});
