import { CorrelationContext } from '@app/correlation';
import { type Database, DRIZZLE } from '@app/platform';
import {
  FixtureJoin,
  FixtureStep,
  isolate,
  type Isolation,
  outbox,
  startWorkflowFixtureApp,
  waitFor,
  workflows,
  workflowSteps,
} from '@app/testing';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { INestApplication } from '@nestjs/common';
import { and, eq, sql } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import { WorkflowProgress } from '../src/workflow-progress';

/**
 * Two steps of one group finishing at the same time, in two transactions of one replica: the
 * second waits for the first on the workflow's row, and what it then sees of the first decides
 * what happens. The test holds the first transaction open until the second is seen waiting.
 */
describe('WorkflowProgress with the steps of a group finishing at once (real PostgreSQL)', () => {
  let isolation: Isolation;
  let app: INestApplication;
  let db: Database;

  beforeAll(async () => {
    isolation = await isolate('workflow-progress');
    app = await startWorkflowFixtureApp(isolation.env);
    db = app.get<Database>(DRIZZLE);
  });

  afterAll(async () => {
    await app?.close();
    await isolation?.dispose();
  });

  /** A chord of two steps and a join, its group's jobs taken as sent: the test finishes them. */
  const chord = async (): Promise<string> => {
    const id = randomUUID();
    await db.insert(workflows).values({ id, status: 'RUNNING', stage: 0, stages: 2, remaining: 2 });
    const row = (step: number, stage: number, type: string, status: 'RUNNING' | 'WAITING') => ({
      ...{ workflowId: id, step, stage, grouped: stage === 0, type, queue: 'fixture.steps' },
      ...{ status, messageId: status === 'RUNNING' ? randomUUID() : null },
    });
    await db
      .insert(workflowSteps)
      .values([
        row(0, 0, FixtureStep.type, 'RUNNING'),
        row(1, 0, FixtureStep.type, 'RUNNING'),
        row(2, 1, FixtureJoin.type, 'WAITING'),
      ]);
    return id;
  };

  const inTransaction = (work: (progress: WorkflowProgress) => Promise<void>) =>
    app
      .get(CorrelationContext)
      .run({ correlationId: 'corr-progress', causationId: 'cause-progress' }, () =>
        app.get(TransactionHost).withTransaction(() => work(app.get(WorkflowProgress))),
      );

  /** Runs `work` in a transaction left open until the returned `commit` is called. */
  const heldOpen = async (work: (progress: WorkflowProgress) => Promise<void>) => {
    let commit!: () => void;
    const committing = new Promise<void>((resolve) => (commit = resolve));
    let done!: () => void;
    const worked = new Promise<void>((resolve) => (done = resolve));
    const finished = inTransaction(async (progress) => {
      await work(progress);
      done();
      await committing;
    });
    await Promise.race([worked, finished]);
    return { commit, finished };
  };

  /** Another transaction of this database waits for a row lock on the workflows table. */
  const waitingOnTheWorkflow = () =>
    waitFor(
      async () => {
        const { rows } = await db.execute<{ waiting: number }>(sql`
          select count(*)::int as waiting from pg_stat_activity
          where datname = current_database() and wait_event_type = 'Lock'
            and query ilike ${'update %workflows"%'}`);
        return rows[0].waiting > 0;
      },
      { description: 'a step waiting for the workflow row' },
    );

  const workflow = async (id: string) => {
    const [row] = await db.select().from(workflows).where(eq(workflows.id, id));
    return row;
  };

  it("starts the callback once, with both results, when the second step waited for the first's count", async () => {
    const id = await chord();
    const first = await heldOpen((progress) =>
      progress.succeeded({ workflowId: id, step: 0 }, FixtureStep.type, { label: 'a', value: 1 }),
    );
    const second = inTransaction((progress) =>
      progress.succeeded({ workflowId: id, step: 1 }, FixtureStep.type, { label: 'b', value: 2 }),
    );
    try {
      await waitingOnTheWorkflow();
    } finally {
      // Left open past a failed wait, it would block the second step and the app's close.
      first.commit();
    }
    await Promise.all([first.finished, second]);

    const joins = await db
      .select()
      .from(outbox)
      .where(
        and(eq(outbox.type, FixtureJoin.type), sql`${outbox.headers}->>'x-workflow-id' = ${id}`),
      );
    expect(joins.map((job) => job.payload)).toEqual([
      [
        { label: 'a', value: 1 },
        { label: 'b', value: 2 },
      ],
    ]);
    const done = await waitFor(
      async () => {
        const row = await workflow(id);
        return row?.status === 'SUCCEEDED' ? row : undefined;
      },
      { description: `workflow ${id} SUCCEEDED` },
    );
    expect(done).toMatchObject({ stage: 1, remaining: 0 });
  });

  it('leaves the workflow FAILED when a step of it fails while another one succeeds', async () => {
    const id = await chord();
    const failing = await heldOpen((progress) =>
      progress.failed({ workflowId: id, step: 0 }, FixtureStep.type, 'gave up'),
    );
    const succeeding = inTransaction((progress) =>
      progress.succeeded({ workflowId: id, step: 1 }, FixtureStep.type, { label: 'b', value: 2 }),
    );
    await waitingOnTheWorkflow();
    failing.commit();
    await Promise.all([failing.finished, succeeding]);

    expect(await workflow(id)).toMatchObject({ status: 'FAILED', stage: 0, remaining: 1 });
  });

  /** A chord whose results do not fit its callback's job: fixture.join takes whole numbers. */
  const chordWithUnfitResults = async (): Promise<string> => {
    const id = await chord();
    await inTransaction((progress) =>
      progress.succeeded({ workflowId: id, step: 0 }, FixtureStep.type, { label: 'a', value: 1 }),
    );
    await inTransaction((progress) =>
      progress.succeeded({ workflowId: id, step: 1 }, FixtureStep.type, { label: 'b', value: 2.5 }),
    );
    return id;
  };

  const stepOf = async (id: string, step: number) => {
    const [row] = await db
      .select()
      .from(workflowSteps)
      .where(and(eq(workflowSteps.workflowId, id), eq(workflowSteps.step, step)));
    return row;
  };

  it('fails the callback, not the step that finished last, when the results do not fit its job', async () => {
    const id = await chordWithUnfitResults();

    const steps = await db.select().from(workflowSteps).where(eq(workflowSteps.workflowId, id));
    expect(steps.sort((one, other) => one.step - other.step)).toMatchObject([
      { step: 0, status: 'SUCCEEDED' },
      { step: 1, status: 'SUCCEEDED', result: { label: 'b', value: 2.5 } },
      {
        step: 2,
        status: 'FAILED',
        error: expect.stringMatching(/payload does not fit fixture\.join/),
      },
    ]);
    expect(await workflow(id)).toMatchObject({ status: 'FAILED', stage: 1 });
    const joins = await db
      .select()
      .from(outbox)
      .where(sql`${outbox.headers}->>'x-workflow-id' = ${id}`);
    expect(joins).toEqual([]);
  });

  it('refuses a job naming a callback that failed unsent, which neither finishes it nor fails it again', async () => {
    const id = await chordWithUnfitResults();
    const callback = { workflowId: id, step: 2 };

    // Only a forged job, or one sent by hand, can name it.
    await expect(
      inTransaction((progress) => progress.succeeded(callback, FixtureJoin.type, [1, 2])),
    ).rejects.toThrow(`a fixture.join job names step 2 of workflow ${id}, whose job was not sent`);
    await inTransaction((progress) => progress.failed(callback, FixtureJoin.type, 'forged'));

    expect(await stepOf(id, 2)).toMatchObject({
      status: 'FAILED',
      error: expect.stringMatching(/payload does not fit/),
    });
    expect(await workflow(id)).toMatchObject({ status: 'FAILED', stage: 1 });
  });

  it('refuses a job naming a step not sent yet, which neither finishes nor fails it', async () => {
    const id = await chord();
    const join = { workflowId: id, step: 2 };

    await expect(
      inTransaction((progress) => progress.succeeded(join, FixtureJoin.type, [])),
    ).rejects.toThrow(`a fixture.join job names step 2 of workflow ${id}, whose job was not sent`);
    await inTransaction((progress) => progress.failed(join, FixtureJoin.type, 'gave up'));

    expect(await stepOf(id, 2)).toMatchObject({ status: 'WAITING', error: null });
    expect(await workflow(id)).toMatchObject({ status: 'RUNNING', stage: 0, remaining: 2 });
  });
});
