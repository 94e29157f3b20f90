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

  it('refuses an expression that is malformed or never fires', () => {
    expect(() => new CronSchedule('0 * * *')).toThrow();
    expect(() => new CronSchedule('61 * * * *')).toThrow();
    expect(() => new CronSchedule('0 0 30 2 *')).toThrow();
  });
});
