import type { OutboxLag, OutboxMonitor } from '@app/outbox';
import type { BaseConfig } from '@app/platform';
import type { ConfigService } from '@nestjs/config';
import { HealthIndicatorService } from '@nestjs/terminus';
import { OUTBOX_CHECK_TIMEOUT_MS, OutboxIndicator } from './outbox.indicator';

const config = { get: () => 30_000 } as unknown as ConfigService<BaseConfig, true>;

function indicatorMeasuring(lag: () => Promise<OutboxLag>): OutboxIndicator {
  const monitor = { lag } as unknown as OutboxMonitor;
  return new OutboxIndicator(monitor, new HealthIndicatorService(), config);
}

describe('OutboxIndicator', () => {
  afterEach(() => jest.useRealTimers());

  it('is up while the oldest pending row is within OUTBOX_MAX_LAG_MS', async () => {
    const indicator = indicatorMeasuring(() =>
      Promise.resolve({ pending: 3, oldestPendingSeconds: 29.6, scheduled: 1 }),
    );

    await expect(indicator.check()).resolves.toEqual({
      outbox: { status: 'up', pending: 3, oldestPendingSeconds: 30 },
    });
  });

  it('is down once the oldest pending row is older', async () => {
    const indicator = indicatorMeasuring(() =>
      Promise.resolve({ pending: 3, oldestPendingSeconds: 31, scheduled: 0 }),
    );

    await expect(indicator.check()).resolves.toEqual({
      outbox: { status: 'down', pending: 3, oldestPendingSeconds: 31 },
    });
  });

  it('is down, saying so, when the measurement does not answer in time', async () => {
    jest.useFakeTimers();
    const check = indicatorMeasuring(() => new Promise(() => undefined)).check();

    await jest.advanceTimersByTimeAsync(OUTBOX_CHECK_TIMEOUT_MS);

    await expect(check).resolves.toEqual({
      outbox: { status: 'down', message: `no answer within ${OUTBOX_CHECK_TIMEOUT_MS} ms` },
    });
  });
});
