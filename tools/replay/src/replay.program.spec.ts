import { parseTime, replayRequest, runReplay, type Session } from './replay.program';

/** Runs the CLI in-process with a session that records instead of connecting. */
async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  let sessions = 0;
  const session: Session = () => {
    sessions += 1;
    return Promise.resolve();
  };
  const code = await runReplay(argv, { out: (t) => out.push(t), err: (t) => err.push(t) }, session);
  return { code, out: out.join(''), err: err.join(''), sessions };
}

describe('replay arguments', () => {
  it('accepts a queue with any of the options, and opens one broker session', async () => {
    for (const argv of [
      ['shop.q'],
      ['shop.q', '--type', 'order.paid', 'order.created'],
      ['shop.q', '--type', 'order.paid', '--type', 'order.created', '--dry-run'],
      ['shop.q', '--since', '2026-03-01T09:00:00Z', '--until', '2026-03-01T10:00:00+01:00'],
    ]) {
      expect(await run(...argv)).toMatchObject({ code: 0, sessions: 1, err: '' });
    }
  });

  it('refuses a missing queue, a bad time, --since after --until and an empty type, before touching the broker', async () => {
    for (const argv of [
      [],
      ['q', '--since', 'yesterday'],
      ['q', '--since', '2026-03-02T00:00:00Z', '--until', '2026-03-01T00:00:00Z'],
      ['q', '--type', 'order.paid', ''],
    ]) {
      const result = await run(...argv);
      expect(result).toMatchObject({ code: 1, sessions: 0 });
      expect(result.err).toMatch(/^error: /);
      expect(result.err.trim().split('\n')).toHaveLength(1);
    }
  });

  it.each([
    ['events.log', 'events.log is the event log itself: name the consuming queue'],
    ['shop.q.dlq', 'shop.q.dlq is the dead-letter queue of shop.q: replay into shop.q itself'],
    ['shop.q.retry.5000ms', 'shop.q.retry.5000ms is the retry queue of shop.q: replay into shop.q'],
  ])('refuses %s as the target, before touching the broker', async (queue, reason) => {
    const result = await run(queue, '--type', 'order.paid');
    expect(result).toMatchObject({ code: 1, sessions: 0 });
    expect(result.err).toContain(`error: ${reason}`);
  });

  it('explains usage with examples, exit code 0', async () => {
    const help = await run('--help');
    expect(help).toMatchObject({ code: 0, sessions: 0 });
    expect(help.out).toContain('Usage: replay [options] <queue>');
    expect(help.out).toContain('$ npm run replay -- shipping.order-events --type order.paid');
  });

  it('reports a failing replay as one error line with exit code 1', async () => {
    const failing: Session = () => Promise.reject(new Error('first\n  second'));
    const err: string[] = [];
    const code = await runReplay(['q'], { out: () => undefined, err: (t) => err.push(t) }, failing);
    expect(code).toBe(1);
    expect(err).toEqual(['error: first second\n']);
  });
});

describe('replayRequest', () => {
  it('hands the command the queue, types, window and dry run asked for', () => {
    const since = new Date('2026-03-01T09:00:00Z');
    expect(replayRequest('q', { type: ['order.paid'], since, dryRun: true })).toEqual({
      queue: 'q',
      types: ['order.paid'],
      since,
      until: undefined,
      dryRun: true,
    });
    expect(replayRequest('q', {})).toMatchObject({ types: undefined, dryRun: false });
  });
});

describe('parseTime', () => {
  it('reads ISO 8601 days (UTC) and times with their offset', () => {
    expect(parseTime('2026-03-01T09:00:00Z').toISOString()).toBe('2026-03-01T09:00:00.000Z');
    expect(parseTime('2026-03-01T10:00+01:00').toISOString()).toBe('2026-03-01T09:00:00.000Z');
    expect(parseTime('2026-03-01T09:00:00.250Z').toISOString()).toBe('2026-03-01T09:00:00.250Z');
    expect(parseTime('2026-03-01').toISOString()).toBe('2026-03-01T00:00:00.000Z');
    expect(parseTime('2028-02-29').toISOString()).toBe('2028-02-29T00:00:00.000Z');
  });

  it.each([
    'tomorrow',
    '1700000000',
    '',
    '2026-13-45',
    // Each of these Date.parse reads, as another time than meant.
    '2026-02-30',
    '2026-04-31',
    '2026-03-01junk',
    '2026-03-01 09:00',
    '2026-03-01T09:00:00',
    '2026-03-01T24:00Z',
  ])('refuses %j', (value) => {
    expect(() => parseTime(value)).toThrow('must be an ISO 8601 day or a time with its offset');
  });
});
