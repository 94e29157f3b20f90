import type { OutboxTable } from '@app/outbox';
import type { Database } from '@app/platform';
import { eq, sql } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';

/**
 * Inserts an outbox row already `ageSeconds` old that the relay will not try for an hour, so
 * readiness reports the outbox lag (with OUTBOX_MAX_LAG_MS below that age). Resolves to its removal.
 */
export async function insertStaleOutboxRow(
  db: Database,
  outbox: OutboxTable,
  ageSeconds = 10,
): Promise<() => Promise<void>> {
  const id = randomUUID();
  await db.insert(outbox).values({
    id,
    exchange: 'events',
    routingKey: 'nobody.listens',
    type: 'test.stuck',
    payload: { value: 'stuck' },
    headers: {},
    createdAt: sql`now() - make_interval(secs => ${ageSeconds})`,
    nextAttemptAt: sql`now() + interval '1 hour'`,
  });
  return async () => {
    await db.delete(outbox).where(eq(outbox.id, id));
  };
}
