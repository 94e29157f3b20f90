import { numberedTransactionsModule } from '@app/testing';
import { Test } from '@nestjs/testing';
import { DailySummaryRepository } from './daily-summary.repository';
import {
  catchUpStart,
  dayBefore,
  DailySummaryService,
  daysToSummarise,
  MAX_CATCH_UP_DAYS,
} from './daily-summary.service';

describe('dayBefore', () => {
  it('is the UTC day before the one a moment falls on', () => {
    expect(dayBefore(new Date('2026-12-03T08:00:00Z'))).toBe('2026-12-02');
    expect(dayBefore(new Date('2026-12-03T00:00:00Z'))).toBe('2026-12-02');
    expect(dayBefore(new Date('2026-12-02T23:59:59.999Z'))).toBe('2026-12-01');
    expect(dayBefore(new Date('2026-03-01T08:00:00Z'))).toBe('2026-02-28');
  });
});

describe('daysToSummarise', () => {
  it('is the last day alone before the first summary, or when every day of the week has one', () => {
    expect(daysToSummarise(undefined, [], '2026-12-02')).toEqual(['2026-12-02']);
    expect(daysToSummarise('2026-12-01', ['2026-12-01'], '2026-12-02')).toEqual(['2026-12-02']);
    expect(daysToSummarise('2026-12-01', ['2026-12-01', '2026-12-02'], '2026-12-02')).toEqual([
      '2026-12-02',
    ]);
  });

  it('makes up the days without a summary since the first, in order, across a month end', () => {
    expect(daysToSummarise('2026-11-28', ['2026-11-28'], '2026-12-01')).toEqual([
      '2026-11-29',
      '2026-11-30',
      '2026-12-01',
    ]);
  });

  it('makes up a day left without a summary between two that have one', () => {
    const summarised = ['2026-11-28', '2026-11-30'];
    expect(daysToSummarise('2026-11-28', summarised, '2026-12-01')).toEqual([
      '2026-11-29',
      '2026-12-01',
    ]);
  });

  it('goes back MAX_CATCH_UP_DAYS at most', () => {
    const days = daysToSummarise('2026-01-01', ['2026-01-01'], '2026-12-02');
    expect(days).toHaveLength(MAX_CATCH_UP_DAYS);
    expect(days.at(-1)).toBe('2026-12-02');
    expect(days[0]).toBe('2026-11-26');
    expect(catchUpStart('2026-12-02')).toBe('2026-11-26');
  });
});

describe('DailySummaryService', () => {
  let summaries: jest.Mocked<
    Pick<DailySummaryRepository, 'countByKind' | 'insertOnce' | 'summarisedDays'>
  >;
  let service: DailySummaryService;

  beforeEach(async () => {
    summaries = {
      countByKind: jest.fn().mockResolvedValue([
        { kind: 'order-received', recorded: 5, failed: 1 },
        { kind: 'order-paid', recorded: 4, failed: 0 },
      ]),
      insertOnce: jest.fn((summary) => Promise.resolve({ ...summary, createdAt: new Date() })),
      summarisedDays: jest.fn().mockResolvedValue({
        first: '2026-11-01',
        days: ['2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29', '2026-11-30', '2026-12-01'],
      }),
    };
    const moduleRef = await Test.createTestingModule({
      imports: [numberedTransactionsModule()],
      providers: [DailySummaryService, { provide: DailySummaryRepository, useValue: summaries }],
    }).compile();
    service = moduleRef.get(DailySummaryService);
  });

  it('counts the day before the moment, from its midnight to the next (UTC)', async () => {
    await service.summariseDaysBefore(new Date('2026-12-03T08:00:00Z'));

    expect(summaries.countByKind).toHaveBeenCalledWith(
      new Date('2026-12-02T00:00:00Z'),
      new Date('2026-12-03T00:00:00Z'),
    );
  });

  it('records every kind, zero when none, and the failed deliveries, and says so', async () => {
    const said = await service.summariseDaysBefore(new Date('2026-12-03T08:00:00Z'));

    expect(summaries.insertOnce).toHaveBeenCalledWith({
      day: '2026-12-02',
      counts: { 'order-received': 5, 'order-paid': 4, 'order-cancelled': 0, 'order-refunded': 0 },
      failed: 1,
    });
    expect(said).toBe(
      'summarised 2026-12-02: 5 order-received, 4 order-paid, 0 order-cancelled, 0 order-refunded; 1 failed delivery',
    );
  });

  it('leaves a day that already has its summary as it is', async () => {
    summaries.insertOnce.mockResolvedValue(undefined);

    await expect(service.summariseDaysBefore(new Date('2026-12-03T08:00:00Z'))).resolves.toBe(
      '2026-12-02 already has its summary',
    );
  });

  it('makes up a day a failed or missed tick left without its summary, each said', async () => {
    summaries.summarisedDays.mockResolvedValue({ first: '2026-11-30', days: ['2026-11-30'] });

    const said = await service.summariseDaysBefore(new Date('2026-12-03T08:00:00Z'));

    expect(summaries.summarisedDays).toHaveBeenCalledWith('2026-11-26');
    expect(summaries.insertOnce.mock.calls.map(([summary]) => summary.day)).toEqual([
      '2026-12-01',
      '2026-12-02',
    ]);
    expect(said).toMatch(/^summarised 2026-12-01: .*\. summarised 2026-12-02: /);
  });

  it('goes on past a day that fails, then fails the run, naming that day and what was done', async () => {
    summaries.summarisedDays.mockResolvedValue({ first: '2026-11-30', days: ['2026-11-30'] });
    summaries.countByKind.mockRejectedValueOnce(
      new Error('canceling statement due to statement timeout'),
    );

    const run = service.summariseDaysBefore(new Date('2026-12-03T08:00:00Z'));

    await expect(run).rejects.toThrow(
      /^summarised 2026-12-02: .*\. 2026-12-01 not summarised: canceling statement due to statement timeout$/,
    );
    expect(summaries.insertOnce.mock.calls.map(([summary]) => summary.day)).toEqual(['2026-12-02']);
  });
});
