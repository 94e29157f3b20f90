import type { MessageContract, PayloadOf } from '@app/contracts';

/**
 * One step: a job of `contract`. With a payload, the job carries it; without, the job carries
 * the previous stage's result (a chain's link, a chord's callback), checked against the
 * contract when the stage starts.
 */
export interface StepSignature<TContract extends MessageContract = MessageContract> {
  readonly kind: 'step';
  readonly contract: TContract;
  readonly payload?: PayloadOf<TContract>;
}

/** Steps that run in parallel; the group's result is the list of theirs, in this order. */
export interface GroupSignature {
  readonly kind: 'group';
  readonly steps: readonly StepSignature[];
}

/** A stage of a workflow: one step, or a group of them. */
export type Stage = StepSignature | GroupSignature;

export function step<TContract extends MessageContract>(
  contract: TContract,
  payload?: PayloadOf<TContract>,
): StepSignature<TContract> {
  return { kind: 'step', contract, payload };
}

export function group(...steps: StepSignature[]): GroupSignature {
  return { kind: 'group', steps };
}

/** A step as the workflow stores it: where it stands and what its job is. */
export interface PlannedStep {
  step: number;
  stage: number;
  grouped: boolean;
  contract: MessageContract;
  /** Undefined: the previous stage's result. */
  payload?: unknown;
}

/**
 * The steps of stages run one after the other, numbered in order. Refuses what cannot run: no
 * stage, an empty group, or a first stage that expects a previous result.
 */
export function planStages(stages: readonly Stage[]): PlannedStep[] {
  if (stages.length === 0) throw new Error('A workflow needs at least one step');
  const planned: PlannedStep[] = [];
  stages.forEach((stage, index) => {
    const grouped = stage.kind === 'group';
    const steps = grouped ? stage.steps : [stage];
    if (steps.length === 0) throw new Error(`Stage ${index} of the workflow is an empty group`);
    for (const { contract, payload } of steps) {
      if (index === 0 && payload === undefined) {
        throw new Error(
          `The first stage's ${contract.type} has no payload, and no previous result to take`,
        );
      }
      planned.push({ step: planned.length, stage: index, grouped, contract, payload });
    }
  });
  return planned;
}
