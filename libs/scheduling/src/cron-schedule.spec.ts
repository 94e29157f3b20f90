import { CronSchedule } from './cron-schedule';

const at = (iso: string) => new Date(iso);

describe('CronSchedule', () => {
  const hourly = new CronSchedule('0 * * * *');

  it('gives the first tick strictly after a moment, in UTC', () => {
    expect(hourly.next(at('2026-12-03T10:20:00Z'))).toEqual(at('2026-12-03T11:00:00Z'));
    expect(hourly.next(at('2026-12-03T10:00:00Z'))).toEqual(at('2026-12-03T11:00:00Z'));
    expect(hourly.next(at('2026-12-03T09:59:59.999Z'))).toEqual(at('2026-12-03T10:00:00Z'));
  });

  it('gives the most recent tick at or before a moment', () => {
    expect(hourly.latestAtOrBefore(at('2026-12-03T10:20:00Z'))).toEqual(at('2026-12-03T10:00:00Z'));
    expect(hourly.latestAtOrBefore(at('2026-12-03T10:00:00Z'))).toEqual(at('2026-12-03T10:00:00Z'));
    const daily = new CronSchedule('0 8 * * *');
    expect(daily.latestAtOrBefore(at('2026-12-03T07:59:59Z'))).toEqual(at('2026-12-02T08:00:00Z'));
    const yearly = new CronSchedule('0 0 1 1 *');
    expect(yearly.latestAtOrBefore(at('2026-12-03T10:00:00Z'))).toEqual(at('2026-01-01T00:00:00Z'));
  });

  it('finds the latest of frequent ticks without walking from far back', () => {
    const everySecond = new CronSchedule('* * * * * *');
    expect(everySecond.latestAtOrBefore(at('2026-12-03T10:20:30.500Z'))).toEqual(
      at('2026-12-03T10:20:30Z'),
    );
  });

  it("steps back by the schedule's own period, not by doublings from one second", () => {
    // Each step is the cron library's costly search; a service takes these as it boots.
    for (const schedule of [hourly, new CronSchedule('0 8 * * *')]) {
      const steps = jest.spyOn(schedule, 'next');
      schedule.latestAtOrBefore(at('2026-12-03T10:20:00Z'));
      expect(steps.mock.calls.length).toBeLessThanOrEqual(4);
      steps.mockRestore();
    }
  });

  it('finds the latest tick of an irregular schedule across its longer gaps', () => {
    const weekdays = new CronSchedule('0 8 * * 1-5');
    // Monday 7:00: the gap ahead is a day, the latest tick was Friday's.
    expect(weekdays.latestAtOrBefore(at('2026-12-07T07:00:00Z'))).toEqual(
      at('2026-12-04T08:00:00Z'),
    );
    const twiceMonthly = new CronSchedule('0 0 1,15 * *');
    expect(twiceMonthly.latestAtOrBefore(at('2026-12-14T00:00:00Z'))).toEqual(
      at('2026-12-01T00:00:00Z'),
    );
  });

  it('reads the expression in the time zone it is given', () => {
    const paris = new CronSchedule('0 8 * * *', 'Europe/Paris');
    expect(paris.next(at('2026-12-03T00:00:00Z'))).toEqual(at('2026-12-03T07:00:00Z'));
  });

  /** The ticks after `from`, each found from the one before. */
  const ticksAfter = (schedule: CronSchedule, from: string, count: number): string[] => {
    const ticks: string[] = [];
    for (let tick = at(from); ticks.length < count;) {
      tick = schedule.next(tick);
      ticks.push(tick.toISOString());
    }
    return ticks;
  };

  it('ticks once at a wall time the clocks show twice, the night they go back', () => {
    // Berlin goes from 03:00 CEST back to 02:00 CET at 01:00Z on 25 October 2026.
    expect(
      ticksAfter(new CronSchedule('0 3 * * *', 'Europe/Berlin'), '2026-10-24T00:00:00Z', 3),
    ).toEqual(['2026-10-24T01:00:00.000Z', '2026-10-25T02:00:00.000Z', '2026-10-26T02:00:00.000Z']);
    // 01:30 happens twice in London that night: the job runs at the first.
    expect(
      ticksAfter(new CronSchedule('30 1 * * *', 'Europe/London'), '2026-10-24T12:00:00Z', 2),
    ).toEqual(['2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z']);
    expect(
      ticksAfter(new CronSchedule('30 2 * * *', 'America/New_York'), '2026-10-31T00:00:00Z', 2),
    ).toEqual(['2026-10-31T06:30:00.000Z', '2026-11-01T07:30:00.000Z']);
  });

  it('moves forward through a repeated hour, and finds the latest tick inside it', () => {
    // Sydney's 02:00–03:00 repeats from 15:00Z to 17:00Z on 4 April 2026.
    const quarterly = new CronSchedule('*/15 * * * *', 'Australia/Sydney');
    expect(ticksAfter(quarterly, '2026-04-04T15:40:00Z', 3)).toEqual([
      '2026-04-04T15:45:00.000Z',
      '2026-04-04T17:00:00.000Z',
      '2026-04-04T17:15:00.000Z',
    ]);
    expect(quarterly.latestAtOrBefore(at('2026-04-04T16:20:00Z'))).toEqual(
      at('2026-04-04T15:45:00Z'),
    );
  });

  it('ticks when the clocks skip its wall time, the night they go forward', () => {
    // Berlin goes from 02:00 CET to 03:00 CEST at 01:00Z on 29 March 2026: 02:30 runs then.
    expect(
      ticksAfter(new CronSchedule('30 2 * * *', 'Europe/Berlin'), '2026-03-28T00:00:00Z', 3),
    ).toEqual(['2026-03-28T01:30:00.000Z', '2026-03-29T01:00:00.000Z', '2026-03-30T00:30:00.000Z']);
  });

  it('refuses an unknown time zone', () => {
    expect(() => new CronSchedule('0 8 * * *', 'Europe/Atlantis')).toThrow();
  });

  it('refuses an expression that is malformed or never fires', () => {
    expect(() => new CronSchedule('0 * * *')).toThrow();
    expect(() => new CronSchedule('61 * * * *')).toThrow();
    expect(() => new CronSchedule('0 0 30 2 *')).toThrow();
  });
});
