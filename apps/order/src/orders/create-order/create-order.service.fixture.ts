// Shared by the create-order.service.*.spec.ts files.
import { type OutboxMessage, OutboxWriter } from '@app/outbox';
import { numberedTransactionsModule } from '@app/testing';
import { TransactionHost } from '@nestjs-cls/transactional';
import { ConfigService } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import type { OrderRow } from '../../db/order.tables';
import { OrderRepository } from '../order.repository';
import type { CreateOrderRequest } from './create-order.request';
import { CreateOrderService } from './create-order.service';
import { IdempotencyRepository, type StoredResponse } from './idempotency.repository';

const CREATED_AT = new Date('2026-11-05T10:00:00.000Z');

export const request: CreateOrderRequest = {
  customerId: 'customer-1',
  currency: 'EUR',
  items: [
    { sku: 'BOOK', quantity: 2, unitPrice: 1250 },
    { sku: 'PEN', quantity: 3, unitPrice: 199 },
  ],
};
export const TOTAL = 2 * 1250 + 3 * 199;

/** A repository/outbox call, with the transaction it ran in (0 = none). */
export type Write = [string, number];

export type CreateOrderFixture = Awaited<ReturnType<typeof setup>>;

/** Builds the service over fakes; `onWrite` hears each repository/outbox call, in order. */
export async function setup(onWrite: (write: Write) => void) {
  const track = (name: string) => onWrite([name, (txHost.tx as { number: number }).number]);
  const orders: jest.Mocked<Pick<OrderRepository, 'insert'>> = {
    insert: jest.fn((order) => {
      track('orders.insert');
      const stamps = { createdAt: CREATED_AT, updatedAt: CREATED_AT };
      return Promise.resolve({ ...order, cancelReason: null, ...stamps } as OrderRow);
    }),
  };
  // An in-memory stand-in for the idempotency_keys table.
  const stored = new Map<string, StoredResponse>();
  const idempotency: jest.Mocked<Pick<IdempotencyRepository, 'claim' | 'record'>> = {
    claim: jest.fn((key: string, requestHash: string) => {
      track('idempotency.claim');
      const previous = stored.get(key);
      if (!previous) stored.set(key, { requestHash, status: 202, body: null });
      return Promise.resolve(previous);
    }),
    record: jest.fn((key: string, _orderId: string, { status, body }) => {
      track('idempotency.record');
      stored.set(key, { ...stored.get(key)!, status, body });
      return Promise.resolve();
    }),
  };
  const outbox: jest.Mocked<Pick<OutboxWriter, 'addAll'>> = {
    addAll: jest.fn<Promise<string[]>, Parameters<OutboxWriter['addAll']>>((messages) => {
      track('outbox.addAll');
      return Promise.resolve(messages.map(({ options }) => options.messageId ?? 'message-id'));
    }),
  };
  /** The messages written with the order, by type. */
  const written = (type: string): OutboxMessage | undefined =>
    outbox.addAll.mock.calls[0][0].find(({ contract }) => contract.type === type);

  // The real TransactionHost over a fake adapter that numbers its transactions (see
  // numberedTransactionsModule): each mock can tell which transaction it ran in.
  const moduleRef = await Test.createTestingModule({
    imports: [numberedTransactionsModule()],
    providers: [
      CreateOrderService,
      { provide: OrderRepository, useValue: orders },
      { provide: IdempotencyRepository, useValue: idempotency },
      { provide: OutboxWriter, useValue: outbox },
      { provide: ConfigService, useValue: new ConfigService({ ORDER_PAYMENT_TIMEOUT_MS: 3000 }) },
    ],
  }).compile();
  const service = moduleRef.get(CreateOrderService);
  const txHost = moduleRef.get(TransactionHost);
  return { service, orders, idempotency, written };
}
