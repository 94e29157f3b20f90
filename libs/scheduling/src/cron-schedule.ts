import { CronTime } from 'cron';
import { ZoneClock } from './zone-clock';

/** How far back the most recent tick is looked for: the cron library's own horizon. */
const LOOKBACK_LIMIT_MS = 8 * 366 * 24 * 3_600_000;

/**
 * A cron expression's ticks, parsed by `cron` (the library @nestjs/schedule runs on): five fields,
 * or six with seconds first, read in `timeZone` (UTC unless given).
 *
 * The library is asked in UTC only, where it is right. In a zone with daylight saving, its
 * answers around a change go wrong (cron 4.4.0): an extra tick an hour early on the night the
 * clocks go back, which would run a daily job twice, and ticks that go backwards, which would
 * never let a search end. So a zone's ticks are its wall-clock ticks, found in UTC and placed
 * on the zone's clock: a wall time the clocks show twice ticks once, at the first; one they skip
 * ticks when they skip it, as classic cron does.
 */
export class CronSchedule {
  private readonly time: CronTime;
  private readonly clock?: ZoneClock;

  constructor(
    readonly expression: string,
    readonly timeZone = 'UTC',
  ) {
    this.time = new CronTime(expression, 'UTC');
    // An unknown zone throws here, as `cron` would.
    if (timeZone !== 'UTC') this.clock = new ZoneClock(timeZone);
    // Syntax is checked above; an expression that never fires (30 February) fails here.
    this.next(new Date());
  }

  /** The first tick strictly after `moment`. */
  next(moment: Date): Date {
    const { clock } = this;
    if (!clock) return this.nextInUtc(moment.getTime());
    let wall = clock.wallAt(moment.getTime());
    for (;;) {
      wall = this.nextInUtc(wall).getTime();
      const instant = clock.firstInstantOf(wall);
      // Otherwise the first showing of a repeated wall time, gone by before `moment`.
      if (instant > moment.getTime()) return new Date(instant);
    }
  }

  private nextInUtc(moment: number): Date {
    return this.time.getNextDateFrom(new Date(moment), 'UTC').toJSDate();
  }

  /**
   * The most recent tick at or before `moment`, or undefined when there was none in the cron
   * library's horizon. Looks back over a doubling span until a tick falls in it, then walks forward.
   * The first span is the gap between the two ticks after `moment`: for a regular schedule the
   * previous tick is that far back, found in a few of the library's costly steps instead of a
   * dozen doublings from one second (each step builds date objects; a service looks for the
   * latest tick of every job that has run before as it boots).
   */
  latestAtOrBefore(moment: Date): Date | undefined {
    const at = moment.getTime();
    const following = this.next(moment);
    const gap = this.next(following).getTime() - following.getTime();
    for (let span = Math.max(gap, 1_000); span <= LOOKBACK_LIMIT_MS; span *= 2) {
      let tick = this.next(new Date(at - span));
      if (tick.getTime() > at) continue;
      for (let later = this.next(tick); later.getTime() <= at; later = this.next(later)) {
        tick = later;
      }
      return tick;
    }
    return undefined;
  }
}
