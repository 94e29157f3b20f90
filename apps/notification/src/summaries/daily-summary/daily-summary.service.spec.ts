import { numberedTransactionsModule } from '@app/testing';
import { Test } from '@nestjs/testing';
import { DailySummaryRepository } from './daily-summary.repository';
import { dayBefore, DailySummaryService } from './daily-summary.service';

describe('dayBefore', () => {
  it('is the UTC day before the one a moment falls on', () => {
    expect(dayBefore(new Date('2026-12-03T08:00:00Z'))).toBe('2026-12-02');
    expect(dayBefore(new Date('2026-12-03T00:00:00Z'))).toBe('2026-12-02');
    expect(dayBefore(new Date('2026-12-02T23:59:59.999Z'))).toBe('2026-12-01');
    expect(dayBefore(new Date('2026-03-01T08:00:00Z'))).toBe('2026-02-28');
  });
});

describe('DailySummaryService', () => {
  let summaries: jest.Mocked<Pick<DailySummaryRepository, 'countByKind' | 'insertOnce'>>;
  let service: DailySummaryService;

  beforeEach(async () => {
    summaries = {
      countByKind: jest.fn().mockResolvedValue([
        { kind: 'order-received', recorded: 5, failed: 1 },
        { kind: 'order-paid', recorded: 4, failed: 0 },
      ]),
      insertOnce: jest.fn((summary) => Promise.resolve({ ...summary, createdAt: new Date() })),
    };
    const moduleRef = await Test.createTestingModule({
      imports: [numberedTransactionsModule()],
      providers: [DailySummaryService, { provide: DailySummaryRepository, useValue: summaries }],
    }).compile();
    service = moduleRef.get(DailySummaryService);
  });

  it('counts the day before the moment, from its midnight to the next (UTC)', async () => {
    await service.summariseDayBefore(new Date('2026-12-03T08:00:00Z'));

    expect(summaries.countByKind).toHaveBeenCalledWith(
      new Date('2026-12-02T00:00:00Z'),
      new Date('2026-12-03T00:00:00Z'),
    );
  });

  it('records every kind, zero when none, and the failed deliveries, and says so', async () => {
    const said = await service.summariseDayBefore(new Date('2026-12-03T08:00:00Z'));

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

    await expect(service.summariseDayBefore(new Date('2026-12-03T08:00:00Z'))).resolves.toBe(
      '2026-12-02 already has its summary',
    );
  });
});
