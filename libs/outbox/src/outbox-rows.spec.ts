import { pgSchema } from 'drizzle-orm/pg-core';
import type { QueryResult } from 'pg';
import { OutboxRowStatements } from './outbox-rows';
import { outboxTable } from './outbox.table';

const statements = new OutboxRowStatements(outboxTable(pgSchema('shop')), 50);
const result = (rows: unknown[]) => ({ rows }) as unknown as QueryResult;
const ID = '0f8fad5b-d9cb-469f-a165-70867728950e';

describe('OutboxRowStatements', () => {
  it('opens the transaction with the claim, the look at the next due row in the same round trip', () => {
    expect(statements.claim).toMatch(/^begin; select .* from "shop"\."outbox" /);
    expect(statements.claim).toMatch(/limit 50 for update skip locked; select /);
  });

  it('splits rows into due and not yet due at one instant, so none falls between the two', () => {
    expect(statements.claim).toMatch(
      /where sent_at is null and next_attempt_at <= now\(\) order by/,
    );
    expect(statements.claim).toMatch(/where sent_at is null and next_attempt_at > now\(\)$/);
  });

  it('reads the claimed rows and when the nearest row not due yet is due', () => {
    const createdAt = new Date('2026-12-03T10:00:00Z');
    const claim = OutboxRowStatements.claimed([
      result([]),
      result([
        {
          id: ID,
          exchange: 'events',
          routing_key: 'order.created',
          type: 'order.created',
          payload: { orderId: 'o-1' },
          headers: { 'x-correlation-id': 'c-1' },
          created_at: createdAt,
        },
      ]),
      result([{ ms: 1234.5 }]),
    ]);
    expect(claim).toEqual({
      rows: [
        {
          id: ID,
          exchange: 'events',
          routingKey: 'order.created',
          type: 'order.created',
          payload: { orderId: 'o-1' },
          headers: { 'x-correlation-id': 'c-1' },
          createdAt,
        },
      ],
      nextDueInMs: 1234.5,
    });
  });

  it('has no next due time when no row waits for later, and none in the past', () => {
    const [begin, none] = [result([]), result([])];
    expect(OutboxRowStatements.claimed([begin, none, result([{ ms: null }])]).nextDueInMs).toBe(
      undefined,
    );
    expect(OutboxRowStatements.claimed([begin, none, result([{ ms: -5 }])]).nextDueInMs).toBe(0);
  });

  it('marks a batch by one array literal of ids', () => {
    expect(statements.markSent([ID, ID])).toContain(`where id = any('{${ID},${ID}}'::uuid[])`);
  });

  it('escapes the reason of a refusal', () => {
    expect(statements.markRefused([ID], "queue 'q' is full")).toContain(
      "last_error = 'queue ''q'' is full'",
    );
  });

  it('reports the lateness of scheduled rows only', () => {
    const marked = result([{ late_seconds: null }, { late_seconds: 0.25 }, { late_seconds: -0.1 }]);
    expect(OutboxRowStatements.lateSeconds(marked)).toEqual([0.25, 0]);
  });
});
