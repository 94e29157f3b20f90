import { OrderCreated, PaymentDeadline } from '@app/contracts';
import { type OutboxMessage, OutboxWriter } from '@app/outbox';
import { numberedTransactionsModule } from '@app/testing';
import { TransactionHost } from '@nestjs-cls/transactional';
import { HttpStatus, UnprocessableEntityException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Test } from '@nestjs/testing';
import type { OrderRow } from '../../db/order.tables';
import { OrderRepository } from '../order.repository';
import { type CreateOrderRequest, createOrderRequest } from './create-order.request';
import { CreateOrderService } from './create-order.service';
import { IdempotencyRepository, type StoredResponse } from './idempotency.repository';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const CREATED_AT = new Date('2026-11-05T10:00:00.000Z');

const request: CreateOrderRequest = {
  customerId: 'customer-1',
  currency: 'EUR',
  items: [
    { sku: 'BOOK', quantity: 2, unitPrice: 1250 },
    { sku: 'PEN', quantity: 3, unitPrice: 199 },
  ],
};
const TOTAL = 2 * 1250 + 3 * 199;

describe('CreateOrderService', () => {
  let service: CreateOrderService;
  let txHost: TransactionHost;
  let orders: jest.Mocked<Pick<OrderRepository, 'insert'>>;
  let idempotency: jest.Mocked<Pick<IdempotencyRepository, 'claim' | 'record'>>;
  let outbox: jest.Mocked<Pick<OutboxWriter, 'addAll'>>;
  /** The messages written with the order, by type. */
  const written = (type: string): OutboxMessage | undefined =>
    outbox.addAll.mock.calls[0][0].find(({ contract }) => contract.type === type);
  /** Each repository/outbox call, in order, with the transaction it ran in (0 = none). */
  let writes: [string, number][];

  beforeEach(async () => {
    writes = [];
    const track = (name: string) => writes.push([name, (txHost.tx as { number: number }).number]);
    orders = {
      insert: jest.fn((order) => {
        track('orders.insert');
        const stamps = { createdAt: CREATED_AT, updatedAt: CREATED_AT };
        return Promise.resolve({ ...order, cancelReason: null, ...stamps } as OrderRow);
      }),
    };
    // An in-memory stand-in for the idempotency_keys table.
    const stored = new Map<string, StoredResponse>();
    idempotency = {
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
    outbox = {
      addAll: jest.fn<Promise<string[]>, Parameters<OutboxWriter['addAll']>>((messages) => {
        track('outbox.addAll');
        return Promise.resolve(messages.map(({ options }) => options.messageId ?? 'message-id'));
      }),
    };

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
    service = moduleRef.get(CreateOrderService);
    txHost = moduleRef.get(TransactionHost);
  });

  describe('without an Idempotency-Key', () => {
    it('inserts a PENDING order with the computed total', async () => {
      await service.create(request);

      expect(orders.insert).toHaveBeenCalledWith({
        id: expect.stringMatching(UUID),
        customerId: 'customer-1',
        status: 'PENDING',
        currency: 'EUR',
        total: TOTAL,
        items: request.items,
        paymentDeadlineId: expect.stringMatching(UUID),
      });
    });

    it('writes OrderCreated with the DESIGN §3 payload to the outbox', async () => {
      await service.create(request);

      expect(written(OrderCreated.type)?.payload).toEqual({
        orderId: orders.insert.mock.calls[0][0].id,
        customerId: 'customer-1',
        currency: 'EUR',
        total: TOTAL,
        items: request.items,
        createdAt: '2026-11-05T10:00:00.000Z',
      });
    });

    it('schedules its payment deadline, ORDER_PAYMENT_TIMEOUT_MS ahead, to its own queue', async () => {
      await service.create(request);

      expect(written(PaymentDeadline.type)).toEqual({
        contract: PaymentDeadline,
        payload: { orderId: orders.insert.mock.calls[0][0].id },
        options: {
          route: { exchange: '', routingKey: 'order.payment-deadlines' },
          delayMs: 3000,
          messageId: expect.stringMatching(UUID),
        },
      });
    });

    it('names the deadline in the order, so settling the order can cancel it', async () => {
      await service.create(request);

      expect(orders.insert.mock.calls[0][0].paymentDeadlineId).toBe(
        written(PaymentDeadline.type)?.options.messageId,
      );
    });

    it('writes the order, then its event and its deadline in one statement, in one transaction', async () => {
      await service.create(request);

      expect(writes).toEqual([
        ['orders.insert', 1],
        ['outbox.addAll', 1],
      ]);
    });

    it('answers 202 with the order view', async () => {
      const result = await service.create(request);

      expect(result).toEqual({
        status: HttpStatus.ACCEPTED,
        body: {
          id: orders.insert.mock.calls[0][0].id,
          customerId: 'customer-1',
          status: 'PENDING',
          currency: 'EUR',
          total: TOTAL,
          items: request.items,
          createdAt: '2026-11-05T10:00:00.000Z',
          updatedAt: '2026-11-05T10:00:00.000Z',
          cancelReason: null,
        },
      });
    });
  });

  describe('with an Idempotency-Key', () => {
    it('claims a new key, places the order and records the answer under the key', async () => {
      const result = await service.create(request, 'key-1');

      expect(idempotency.claim).toHaveBeenCalledWith(
        'key-1',
        expect.stringMatching(/^[0-9a-f]{64}$/),
      );
      expect(idempotency.record).toHaveBeenCalledWith('key-1', result.body.id, result);
      expect(writes).toEqual([
        ['idempotency.claim', 1],
        ['orders.insert', 1],
        ['outbox.addAll', 1],
        ['idempotency.record', 1],
      ]);
    });

    it('returns the stored status and body for the same key and body, writing nothing', async () => {
      const first = await service.create(request, 'key-1');
      writes = [];

      const again = await service.create(structuredClone(request), 'key-1');

      expect(again).toEqual(first);
      expect(writes).toEqual([['idempotency.claim', 2]]);
    });

    it('treats the same body with its fields in another order as the same request', async () => {
      const first = await service.create(createOrderRequest.parse(request), 'key-1');
      const reordered = {
        items: request.items.map(({ unitPrice, quantity, sku }) => ({ unitPrice, quantity, sku })),
        currency: 'EUR',
        customerId: 'customer-1',
      };

      await expect(service.create(createOrderRequest.parse(reordered), 'key-1')).resolves.toEqual(
        first,
      );
    });

    it('rejects the same key with a different body with 422, writing nothing', async () => {
      await service.create(request, 'key-1');
      writes = [];

      const different = { ...request, customerId: 'customer-2' };
      await expect(service.create(different, 'key-1')).rejects.toBeInstanceOf(
        UnprocessableEntityException,
      );
      expect(writes).toEqual([['idempotency.claim', 2]]);
    });
  });
});
