import { BadRequestException, HttpStatus } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { OrderView } from '../order.view';
import { CreateOrderController } from './create-order.controller';
import type { CreateOrderDto } from './create-order.request';
import type { CreateOrderService } from './create-order.service';

const body: CreateOrderDto = {
  customerId: 'customer-1',
  currency: 'EUR',
  items: [{ sku: 'BOOK', quantity: 1, unitPrice: 1250 }],
};

const order: OrderView = {
  id: '0f8fad5b-d9cb-469f-a165-70867728950e',
  customerId: 'customer-1',
  status: 'PENDING',
  currency: 'EUR',
  total: 1250,
  items: body.items,
  createdAt: '2026-11-05T10:00:00.000Z',
  updatedAt: '2026-11-05T10:00:00.000Z',
  cancelReason: null,
};

describe('CreateOrderController', () => {
  let createOrder: jest.Mocked<Pick<CreateOrderService, 'create'>>;
  let response: jest.Mocked<Pick<Response, 'status' | 'location'>>;
  let controller: CreateOrderController;

  beforeEach(() => {
    createOrder = {
      create: jest.fn().mockResolvedValue({ status: HttpStatus.ACCEPTED, body: order }),
    };
    response = { status: jest.fn(), location: jest.fn() };
    response.status.mockReturnValue(response as unknown as Response);
    response.location.mockReturnValue(response as unknown as Response);
    controller = new CreateOrderController(createOrder as unknown as CreateOrderService);
  });

  /** A request carrying the key once, or each of several copies of the header. */
  const post = (key: string | string[] | undefined) => {
    const copies = key === undefined ? undefined : [key].flat();
    const request = { headersDistinct: { 'idempotency-key': copies } } as unknown as Request;
    return controller.create(body, request, response as unknown as Response);
  };

  it('rejects a repeated Idempotency-Key header with a 400 saying so', async () => {
    const error = (await post(['a', 'b']).catch(
      (caught: unknown) => caught,
    )) as BadRequestException;
    expect(error).toBeInstanceOf(BadRequestException);
    expect(error.getResponse()).toMatchObject({
      errors: [{ field: 'Idempotency-Key', message: 'must be sent once, not 2 times' }],
    });
    expect(createOrder.create).not.toHaveBeenCalled();
  });

  it.each([
    ['empty', ''],
    ['longer than 128 characters', 'k'.repeat(129)],
  ])('rejects an Idempotency-Key that is %s with a 400 naming the header', async (_case, key) => {
    const error = await post(key).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(BadRequestException);
    const badRequest = error as BadRequestException;
    expect(badRequest.getStatus()).toBe(400);
    expect(badRequest.getResponse()).toMatchObject({
      errors: [{ field: 'Idempotency-Key', message: expect.any(String) }],
    });
    expect(createOrder.create).not.toHaveBeenCalled();
  });

  it('passes a 128-character key on to the service', async () => {
    const key = 'k'.repeat(128);
    await post(key);
    expect(createOrder.create).toHaveBeenCalledWith(body, key);
  });

  it('places the order without a key when the header is absent', async () => {
    await post(undefined);
    expect(createOrder.create).toHaveBeenCalledWith(body, undefined);
  });

  it('answers with the status from the service, Location /orders/{id} and the order', async () => {
    const result = await post('key-1');

    expect(response.status).toHaveBeenCalledWith(HttpStatus.ACCEPTED);
    expect(response.location).toHaveBeenCalledWith(`/orders/${order.id}`);
    expect(result).toBe(order);
  });

  it('uses the stored status of a replayed answer, whatever it is', async () => {
    createOrder.create.mockResolvedValue({ status: HttpStatus.CREATED, body: order });

    await post('key-1');

    expect(response.status).toHaveBeenCalledWith(HttpStatus.CREATED);
    expect(response.location).toHaveBeenCalledWith(`/orders/${order.id}`);
  });

  it('lets a service error through without setting a status', async () => {
    createOrder.create.mockRejectedValue(new Error('database down'));

    await expect(post(undefined)).rejects.toThrow('database down');
    expect(response.status).not.toHaveBeenCalled();
  });
});
