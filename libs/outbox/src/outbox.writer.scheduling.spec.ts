import { OrderCancelled } from '@app/contracts';
import { cancelled, setup } from './outbox.writer.fixture';

describe('OutboxWriter: scheduling a message', () => {
  it('schedules a message for a moment, to the millisecond', async () => {
    const { writer, inContext, statement } = setup();
    const deliverAt = new Date('2030-01-02T03:04:05.678Z');
    await inContext(() => writer.add(OrderCancelled, cancelled, { deliverAt }));
    const { row } = statement();
    expect(row.deliverAt).toBe('2030-01-02T03:04:05.678Z');
    expect(row).not.toHaveProperty('delaySeconds');
  });

  it("schedules a message after a delay by the database's clock", async () => {
    const { writer, inContext, statement } = setup();
    await inContext(() => writer.add(OrderCancelled, cancelled, { delayMs: 1500 }));
    const { text, row } = statement();
    expect(text).toMatch(/now\(\) \+ make_interval\(secs => /);
    expect(row.delaySeconds).toBe(1.5);
    expect(row).not.toHaveProperty('deliverAt');
  });

  it('refuses a negative delay, or a delay with a moment', async () => {
    const { writer, inContext, query } = setup();
    await expect(
      inContext(() => writer.add(OrderCancelled, cancelled, { delayMs: -1 })),
    ).rejects.toThrow(/Invalid delayMs/);
    await expect(
      inContext(() => writer.add(OrderCancelled, cancelled, { delayMs: 1, deliverAt: new Date() })),
    ).rejects.toThrow(/not both/);
    expect(query).not.toHaveBeenCalled();
  });
});
