import type { DatabasePing, DatabaseTransactionHost } from '@app/platform';
import { InboxTransaction } from './inbox.transaction';
import { inboxTable } from './inbox.table';
import { pgSchema } from 'drizzle-orm/pg-core';

const withCode = (code: string) => Object.assign(new Error('driver error'), { code });

/** An inbox whose database ping answers, or not. */
function inboxWhosePing(answers: boolean): InboxTransaction {
  const ping = {
    answers: () => (answers ? Promise.resolve() : Promise.reject(new Error('no answer'))),
  } as unknown as DatabasePing;
  const options = { table: inboxTable(pgSchema('shop')) };
  return new InboxTransaction({} as DatabaseTransactionHost, options, ping);
}

describe('InboxTransaction.isUnavailable', () => {
  it("holds through the database's own refusal even when a ping a moment later answers", async () => {
    // PgBouncer's `server login has been failing` (08P01) while PostgreSQL is back already.
    await expect(inboxWhosePing(true).isUnavailable(withCode('08P01'))).resolves.toBe(true);
  });

  it('takes a refused connection for an outage only while the database does not answer', async () => {
    await expect(inboxWhosePing(false).isUnavailable(withCode('ECONNREFUSED'))).resolves.toBe(true);
    // Another service (a mail server, a payment provider) refused it: the handler's failure.
    await expect(inboxWhosePing(true).isUnavailable(withCode('ECONNREFUSED'))).resolves.toBe(false);
  });

  it('does not take a statement error for an outage', async () => {
    await expect(inboxWhosePing(false).isUnavailable(withCode('23505'))).resolves.toBe(false);
  });
});
