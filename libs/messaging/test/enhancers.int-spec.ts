import { FixtureRecorded } from '@app/testing';
import { type EnhancersFixture, seen, startEnhancersFixture } from './enhancers.fixture';

describe('Nest enhancers on message handlers, on the real broker: interceptors and pipes', () => {
  let fixture: EnhancersFixture;
  let send: EnhancersFixture['send'];
  let handled: EnhancersFixture['handled'];

  beforeAll(async () => {
    fixture = await startEnhancersFixture('enhancers-interceptors');
    ({ send, handled } = fixture);
  });

  afterAll(() => fixture?.dispose());

  it('runs global and controller interceptors and parameter pipes inside the inbox transaction', async () => {
    const messageId = await send({ value: 'quiet' });
    const rows = await handled(messageId, 2);
    expect(rows).toEqual(
      expect.arrayContaining([
        { value: 'audited', attempt: 1 },
        { value: 'QUIET', attempt: 1 },
      ]),
    );
    expect(seen).toContainEqual({
      interceptor: 'global',
      messageId,
      type: FixtureRecorded.type,
      inTransaction: true,
    });
  });
});
