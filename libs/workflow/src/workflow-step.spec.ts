import { stepHeaders, stepOfHeaders } from './workflow-step';

const WORKFLOW = '9b2f3c1e-4d5a-4b6c-8d7e-0f1a2b3c4d5e';

describe('the workflow step headers', () => {
  it('name a step and read back as it', () => {
    const headers = stepHeaders({ workflowId: WORKFLOW, step: 3 });
    expect(headers).toEqual({ 'x-workflow-id': WORKFLOW, 'x-workflow-step': '3' });
    expect(stepOfHeaders(headers)).toEqual({ workflowId: WORKFLOW, step: 3 });
    // Another client may send them as byte strings.
    const bytes = { 'x-workflow-id': Buffer.from(WORKFLOW), 'x-workflow-step': Buffer.from('3') };
    expect(stepOfHeaders(bytes)).toEqual({ workflowId: WORKFLOW, step: 3 });
  });

  it.each([
    [{}],
    [{ 'x-workflow-id': WORKFLOW }],
    [{ 'x-workflow-id': 'not-a-uuid', 'x-workflow-step': '1' }],
    [{ 'x-workflow-id': WORKFLOW, 'x-workflow-step': '-1' }],
    [{ 'x-workflow-id': WORKFLOW, 'x-workflow-step': '1.5' }],
    [{ 'x-workflow-id': WORKFLOW, 'x-workflow-step': '99999999' }],
  ])('make no step of %j: the job runs outside any workflow', (headers) => {
    expect(stepOfHeaders(headers)).toBeUndefined();
  });
});
