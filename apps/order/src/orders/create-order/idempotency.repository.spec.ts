import type { DatabaseTransactionHost, TransactionStatements } from '@app/platform';
import { IdempotencyRepository } from './idempotency.repository';

/** The claim's insert answers in turn; the read of a repeated key finds `stored` in turn. */
function repositoryWith(claims: object[][], stored: object[][]) {
  const claim = { execute: jest.fn(() => Promise.resolve(claims.shift())) };
  const record = { execute: jest.fn() };
  const prepared = [claim, record];
  const statements = { prepare: () => prepared.shift() } as unknown as TransactionStatements;
  const where = jest.fn(() => Promise.resolve(stored.shift()));
  const txHost = { tx: { select: () => ({ from: () => ({ where }) }) } };
  const repository = new IdempotencyRepository(
    txHost as unknown as DatabaseTransactionHost,
    statements,
  );
  return { repository, claim };
}

describe('IdempotencyRepository', () => {
  it('returns the answer stored under a repeated key', async () => {
    const row = { requestHash: 'h1', responseStatus: 202, responseBody: { id: 'o-1' } };
    const { repository } = repositoryWith([[]], [[row]]);

    await expect(repository.claim('k', 'h1')).resolves.toEqual({
      requestHash: 'h1',
      status: 202,
      body: { id: 'o-1' },
    });
  });

  it('claims a repeated key anew when it was pruned between its claim and its read', async () => {
    // The insert met the old row; the pruner deleted it before the read: the key is free.
    const { repository, claim } = repositoryWith([[], [{ key: 'k' }]], [[]]);

    await expect(repository.claim('k', 'h2')).resolves.toBeUndefined();
    expect(claim.execute).toHaveBeenCalledTimes(2);
  });
});
