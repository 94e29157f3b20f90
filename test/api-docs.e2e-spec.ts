import type { ServiceName } from '@app/services';
import { ApiContract, EVERY_SERVICE_OPERATIONS, type ObservedResponse } from '@app/testing';
import request from 'supertest';
import { anOrder, PAID_ORDER_NOTIFICATIONS, Stack } from './support/stack';

/** The routes of DESIGN §2, per service, as OpenAPI operations (a generated service has none yet). */
const ROUTES: Partial<Record<ServiceName, string[]>> = {
  order: ['post /orders', 'get /orders/{id}'],
  payment: ['get /payments'],
  notification: ['get /notifications'],
};

describe('API documentation of the built services', () => {
  let stack: Stack;
  const contracts = new Map<ServiceName, ApiContract>();
  const url = (name: ServiceName) => stack.services.find((service) => service.name === name)!.url;

  /** Asserts that `response`, from service `name`, is what its document promises. */
  const expectDocumented = (name: ServiceName, operation: string, response: ObservedResponse) =>
    expect(contracts.get(name)!.mismatches(operation, response)).toEqual([]);

  beforeAll(async () => {
    stack = await Stack.start('api-docs');
    for (const name of Object.keys(ROUTES) as ServiceName[]) {
      contracts.set(name, await ApiContract.of(url(name)));
    }
  });

  afterAll(() => stack?.stop());

  it.each(Object.keys(ROUTES) as ServiceName[])(
    '%s serves the Swagger UI at /docs and a valid OpenAPI document of its routes',
    async (name) => {
      const page = await request(url(name)).get('/docs').expect(200);
      expect(page.text).toContain('swagger-ui');
      await request(url(name)).get('/docs/swagger-ui-bundle.js').expect(200);
      expect(contracts.get(name)!.operations().sort()).toEqual(
        [...ROUTES[name]!, ...EVERY_SERVICE_OPERATIONS].sort(),
      );
    },
  );

  it('documents what each service answers about a paid order and a declined one', async () => {
    const paid = (await stack.placeOrder(anOrder())).body.id as string;
    const declined = (await stack.placeOrder(anOrder(2_000_000))).body.id as string;
    const settled = await stack.settledOrder(paid);
    expect(settled.body.payment).toMatchObject({ status: 'SUCCEEDED' });
    expectDocumented('order', 'get /orders/{id}', settled);
    const cancelled = await stack.settledOrder(declined);
    expect(cancelled.body).toMatchObject({
      cancelReason: 'amount_limit_exceeded',
      payment: { status: 'FAILED', reason: 'amount_limit_exceeded' },
    });
    expectDocumented('order', 'get /orders/{id}', cancelled);

    await stack.deliveredNotifications(paid, PAID_ORDER_NOTIFICATIONS.length);
    for (const orderId of [paid, declined]) {
      const payments = await request(url('payment')).get(`/payments?orderId=${orderId}`);
      expect(payments.body).toHaveLength(1);
      expectDocumented('payment', 'get /payments', payments);
      const notifications = await request(url('notification')).get(
        `/notifications?orderId=${orderId}`,
      );
      expect(notifications.body.length).toBeGreaterThan(0);
      expectDocumented('notification', 'get /notifications', notifications);
    }
  });

  it.each([
    ['payment', '/payments'],
    ['payment', '/payments?orderId=42'],
    ['notification', '/notifications?orderId=00000000-0000-4000-8000-000000000000&kind=x'],
  ] as const)('documents the 400 %s answers to GET %s', async (name, path) => {
    const rejected = await request(url(name)).get(path).expect(400);
    expectDocumented(name, `get ${path.split('?')[0]}`, rejected);
  });

  it.each(['payment', 'notification'] as const)(
    'documents the health and metrics %s serves',
    async (name) => {
      for (const operation of EVERY_SERVICE_OPERATIONS) {
        const path = operation.split(' ')[1];
        expectDocumented(name, operation, await request(url(name)).get(path).expect(200));
      }
    },
  );
});
