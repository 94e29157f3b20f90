import { waitFor } from '@app/testing';
import { Client } from 'pg';
import { query } from './history';

/** A lock on payment's table, held until released: payment's handlers wait on it mid-transaction. */
export interface PaymentLock {
  /** Rolls the lock back and disconnects; a second call does nothing. */
  release(): Promise<void>;
}

export async function lockPayments(databaseUrl: string): Promise<PaymentLock> {
  const locker = new Client({ connectionString: databaseUrl });
  await locker.connect();
  try {
    await locker.query('begin; lock table payments.payments in access exclusive mode');
  } catch (error) {
    await locker.end();
    throw error;
  }
  let released = false;
  return {
    release: async () => {
      if (released) return;
      released = true;
      try {
        await locker.query('rollback');
      } finally {
        await locker.end();
      }
    },
  };
}

/** How many of payment's handlers wait on a lock: each one holds its message, unacknowledged. */
export async function blockedPaymentHandlers(databaseUrl: string): Promise<number> {
  const rows = await query(
    databaseUrl,
    `select 1 from pg_stat_activity where application_name = 'payment' and wait_event_type = 'Lock'`,
  );
  return rows.length;
}

/** Waits until `count` payment handlers wait on the lock. */
export function paymentHandlersBlocked(
  databaseUrl: string,
  count = 1,
  options: { description?: string; timeoutMs?: number } = {},
): Promise<boolean> {
  return waitFor(async () => (await blockedPaymentHandlers(databaseUrl)) === count, {
    description: `${count} payment handler(s) to be blocked mid-transaction`,
    ...options,
  });
}
