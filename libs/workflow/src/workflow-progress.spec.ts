import { PermanentMessageError } from '@app/messaging';
import { Logger } from '@nestjs/common';
import type { StepDispatcher } from './step-dispatcher';
import { stageResult, WorkflowProgress } from './workflow-progress';
import type { WorkflowStore } from './workflow.store';
import type { WorkflowRow, WorkflowStepRow } from './workflow.tables';

const ID = '9b2f3c1e-4d5a-4b6c-8d7e-0f1a2b3c4d5e';
const TYPE = 'fixture.step';
const AT = new Date('2026-11-05T10:00:00.000Z');

const workflow = (fields: Partial<WorkflowRow> = {}): WorkflowRow => ({
  id: ID,
  status: 'RUNNING',
  stage: 0,
  stages: 2,
  remaining: 2,
  createdAt: AT,
  finishedAt: null,
  ...fields,
});

const stepRow = (
  step: number,
  stage: number,
  result: unknown,
  grouped = true,
): WorkflowStepRow => ({
  workflowId: ID,
  step,
  stage,
  grouped,
  type: 'fixture.step',
  queue: 'fixture.steps',
  payload: null,
  status: 'RUNNING',
  messageId: `00000000-0000-4000-8000-00000000000${step}`,
  result,
  error: null,
  updatedAt: AT,
});

/** `counted`: the workflow as a step's count down leaves it. */
function setup(counted: WorkflowRow) {
  const store = {
    countDown: jest.fn().mockResolvedValue(counted),
    succeed: jest.fn().mockResolvedValue(true),
    fail: jest.fn().mockResolvedValue(true),
    find: jest.fn((ref: { step: number }): Promise<WorkflowStepRow | undefined> =>
      Promise.resolve(stepRow(ref.step, 0, null)),
    ),
    update: jest.fn().mockResolvedValue(undefined),
    advance: jest.fn().mockResolvedValue(undefined),
    stepsOf: jest.fn((_id: string, ...stages: number[]) =>
      Promise.resolve(
        [stepRow(0, 0, 'a'), stepRow(1, 0, 'b'), stepRow(2, 1, null, false)].filter((row) =>
          stages.includes(row.stage),
        ),
      ),
    ),
  };
  const dispatcher = { send: jest.fn().mockResolvedValue(undefined) };
  const progress = new WorkflowProgress(
    store as unknown as WorkflowStore,
    dispatcher as unknown as StepDispatcher,
  );
  return { store, dispatcher, progress };
}

describe('WorkflowProgress', () => {
  beforeEach(() => {
    for (const level of ['log', 'warn', 'error'] as const) {
      jest.spyOn(Logger.prototype, level).mockImplementation(() => undefined);
    }
  });
  afterEach(() => jest.restoreAllMocks());

  it('counts a step down and sends nothing while its stage has steps left', async () => {
    const { store, dispatcher, progress } = setup(workflow({ remaining: 1 }));
    await progress.succeeded({ workflowId: ID, step: 0 }, TYPE, 'a');
    expect(store.succeed).toHaveBeenCalledWith({ workflowId: ID, step: 0 }, TYPE, 'a');
    expect(store.countDown).toHaveBeenCalledWith(ID);
    // The step's own update decides whether it counts, before the workflow's row is touched.
    expect(store.succeed.mock.invocationCallOrder[0]).toBeLessThan(
      store.countDown.mock.invocationCallOrder[0],
    );
    expect(store.advance).not.toHaveBeenCalled();
    expect(store.update).not.toHaveBeenCalled();
    expect(store.find).not.toHaveBeenCalled();
    expect(store.stepsOf).not.toHaveBeenCalled();
    expect(dispatcher.send).not.toHaveBeenCalled();
  });

  it("starts the next stage with the group's results when the last step of a stage succeeds", async () => {
    const { store, dispatcher, progress } = setup(workflow({ remaining: 0 }));
    await progress.succeeded({ workflowId: ID, step: 1 }, TYPE, 'b');
    expect(store.stepsOf).toHaveBeenCalledTimes(1);
    expect(store.stepsOf).toHaveBeenCalledWith(ID, 0, 1);
    expect(store.advance).toHaveBeenCalledWith(ID, { stage: 1, remaining: 1 });
    expect(dispatcher.send).toHaveBeenCalledTimes(1);
    expect(dispatcher.send).toHaveBeenCalledWith(stepRow(2, 1, null, false), ['a', 'b']);
  });

  it('finishes the workflow when the last stage is done', async () => {
    const { store, dispatcher, progress } = setup(workflow({ stage: 1, remaining: 0 }));
    await progress.succeeded({ workflowId: ID, step: 2 }, TYPE, null);
    expect(store.update).toHaveBeenCalledWith(ID, {
      remaining: 0,
      status: 'SUCCEEDED',
      finished: true,
    });
    expect(store.stepsOf).not.toHaveBeenCalled();
    expect(store.advance).not.toHaveBeenCalled();
    expect(dispatcher.send).not.toHaveBeenCalled();
  });

  it('counts a step that had already succeeded only once', async () => {
    const { store, dispatcher, progress } = setup(workflow({ remaining: 1 }));
    store.succeed.mockResolvedValue(false);
    store.find.mockResolvedValue(stepRow(1, 0, 'b'));
    await progress.succeeded({ workflowId: ID, step: 1 }, TYPE, 'b');
    expect(Logger.prototype.warn).toHaveBeenCalledWith(
      `Step 1 of workflow ${ID} had already succeeded`,
    );
    expect(store.countDown).not.toHaveBeenCalled();
    expect(store.update).not.toHaveBeenCalled();
    expect(store.advance).not.toHaveBeenCalled();
    expect(dispatcher.send).not.toHaveBeenCalled();
  });

  it('refuses for good a job naming a step that does not exist, or is of another type', async () => {
    const { store, progress } = setup(workflow());
    store.succeed.mockResolvedValue(false); // the update matched no step of that type
    store.find.mockResolvedValueOnce(undefined);
    await expect(progress.succeeded({ workflowId: ID, step: 9 }, TYPE, 1)).rejects.toThrow(
      `a ${TYPE} job names step 9 of workflow ${ID}, which is not one`,
    );
    await expect(
      progress.succeeded({ workflowId: ID, step: 0 }, 'fixture.join', 1),
    ).rejects.toThrow(PermanentMessageError);
    expect(store.succeed).toHaveBeenCalledWith({ workflowId: ID, step: 0 }, 'fixture.join', 1);
    expect(store.countDown).not.toHaveBeenCalled();
    expect(store.advance).not.toHaveBeenCalled();
    expect(store.update).not.toHaveBeenCalled();
  });

  it('refuses for good a job naming a step whose job was not sent, and fails nothing', async () => {
    const { store, progress } = setup(workflow());
    store.succeed.mockResolvedValue(false); // the update matched no step under way
    const unsent = { ...stepRow(2, 1, null, false), messageId: null };
    for (const status of ['WAITING', 'FAILED'] as const) {
      store.find.mockResolvedValue({ ...unsent, status });
      await expect(progress.succeeded({ workflowId: ID, step: 2 }, TYPE, 1)).rejects.toThrow(
        `a ${TYPE} job names step 2 of workflow ${ID}, whose job was not sent`,
      );
      await progress.failed({ workflowId: ID, step: 2 }, TYPE, 'forged');
    }
    expect(store.countDown).not.toHaveBeenCalled();
    expect(store.fail).not.toHaveBeenCalled();
    expect(store.update).not.toHaveBeenCalled();
  });

  it('decides the status of a FAILED workflow again when one of its steps succeeds', async () => {
    const { store, dispatcher, progress } = setup(workflow({ status: 'FAILED', remaining: 1 }));
    await progress.succeeded({ workflowId: ID, step: 0 }, TYPE, 'a');
    expect(store.advance).toHaveBeenCalledWith(ID, { remaining: 1 });
    expect(dispatcher.send).not.toHaveBeenCalled();
  });

  it('records no failure for a job that is not the step it names', async () => {
    const { store, progress } = setup(workflow());
    await progress.failed({ workflowId: ID, step: 1 }, 'fixture.join', 'gave up');
    expect(store.fail).not.toHaveBeenCalled();
  });

  it('records a dead-lettered step FAILED, and the workflow with it', async () => {
    const { store, progress } = setup(workflow());
    await progress.failed({ workflowId: ID, step: 1 }, TYPE, 'gave up');
    expect(store.fail).toHaveBeenCalledWith({ workflowId: ID, step: 1 }, 'gave up');
    expect(store.update).toHaveBeenCalledWith(ID, { status: 'FAILED' });
  });

  it("reads a stage's result as its step's, or its group's list", () => {
    expect(stageResult([stepRow(0, 0, 'a', false)])).toBe('a');
    expect(stageResult([stepRow(0, 0, 'a')])).toEqual(['a']);
  });
});
