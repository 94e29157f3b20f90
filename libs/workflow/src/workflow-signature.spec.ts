import { DeliverNotification, PaymentDeadline } from '@app/contracts';
import { group, planStages, step } from './workflow-signature';

const deliver = (notificationId: string) => step(DeliverNotification, { notificationId });
const A = '9b2f3c1e-4d5a-4b6c-8d7e-0f1a2b3c4d5e';
const B = '0f8fad5b-d9cb-469f-a165-70867728950e';

describe('planStages', () => {
  it('numbers the steps in order, each with its stage, and marks the steps of groups', () => {
    const planned = planStages([group(deliver(A), deliver(B)), step(PaymentDeadline)]);
    expect(
      planned.map(({ step: index, stage, grouped, payload }) => ({
        index,
        stage,
        grouped,
        payload,
      })),
    ).toEqual([
      { index: 0, stage: 0, grouped: true, payload: { notificationId: A } },
      { index: 1, stage: 0, grouped: true, payload: { notificationId: B } },
      { index: 2, stage: 1, grouped: false, payload: undefined },
    ]);
  });

  it('refuses a workflow without steps, an empty group, and a first step without a payload', () => {
    expect(() => planStages([])).toThrow('at least one step');
    expect(() => planStages([deliver(A), group()])).toThrow(
      'Stage 1 of the workflow is an empty group',
    );
    expect(() => planStages([step(PaymentDeadline)])).toThrow(
      "The first stage's order.payment-deadline has no payload",
    );
  });
});
