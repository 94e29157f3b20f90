import { UnprocessableEntityException } from '@nestjs/common';
import { createOrderRequest } from './create-order.request';
import type { CreateOrderFixture, Write } from './create-order.service.fixture';
import { request, setup } from './create-order.service.fixture';

describe('CreateOrderService', () => {
  let service: CreateOrderFixture['service'];
  let idempotency: CreateOrderFixture['idempotency'];
  /** Each repository/outbox call, in order, with the transaction it ran in (0 = none). */
  let writes: Write[];

  beforeEach(async () => {
    writes = [];
    ({ service, idempotency } = await setup((write) => writes.push(write)));
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
