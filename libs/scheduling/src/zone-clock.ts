const DAY_MS = 86_400_000;

/**
 * A time zone's wall clock, as instants whose UTC fields read what the zone's clocks show, and
 * back. Around a change of offset a wall time has two instants (the hour the clocks go back
 * repeats) or none (the hour they skip).
 */
export class ZoneClock {
  private readonly format: Intl.DateTimeFormat;

  constructor(readonly timeZone: string) {
    this.format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  }

  /** What the zone's clocks show at `instant`, as the instant with those UTC fields. */
  wallAt(instant: number): number {
    const field = (type: Intl.DateTimeFormatPartTypes) =>
      Number(this.format.formatToParts(instant).find((part) => part.type === type)?.value);
    const wall = Date.UTC(
      field('year'),
      field('month') - 1,
      field('day'),
      field('hour'),
      field('minute'),
      field('second'),
    );
    return wall + (instant % 1000);
  }

  /**
   * The first instant at which the clocks show `wall`; for a wall time the clocks skip, the
   * instant they skip it (02:30 on a night 02:00 becomes 03:00 is the moment of the change).
   */
  firstInstantOf(wall: number): number {
    // The offsets in force a day either side: a wall time sits between them, at most one change.
    const before = this.wallAt(wall - DAY_MS) - (wall - DAY_MS);
    const after = this.wallAt(wall + DAY_MS) - (wall + DAY_MS);
    const shown = [wall - before, wall - after].filter((instant) => this.wallAt(instant) === wall);
    if (shown.length > 0) return Math.min(...shown);
    // Skipped: the clocks read earlier than `wall` at `early`, later at `late`; the change is
    // between, found to the second.
    let [early, late] = [wall - after, wall - before];
    while (late - early > 1000) {
      const middle = early + Math.floor((late - early) / 2000) * 1000;
      if (this.wallAt(middle) < wall) early = middle;
      else late = middle;
    }
    return late;
  }
}
