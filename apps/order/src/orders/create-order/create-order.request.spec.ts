import { createOrderRequest, idempotencyKey } from './create-order.request';

const item = (overrides: Record<string, unknown> = {}) => ({
  sku: 'SKU-1',
  quantity: 2,
  unitPrice: 1250,
  ...overrides,
});

const body = (overrides: Record<string, unknown> = {}) => ({
  customerId: 'customer-1',
  currency: 'EUR',
  items: [item()],
  ...overrides,
});

/** The distinct fields a body is rejected on, e.g. `items.0.quantity`; empty when valid. */
function rejectedFields(input: unknown): string[] {
  const result = createOrderRequest.safeParse(input);
  if (result.success) return [];
  return [...new Set(result.error.issues.map((issue) => issue.path.join('.')))];
}

describe('createOrderRequest (POST /orders body)', () => {
  it('accepts a valid body and keeps its values', () => {
    expect(createOrderRequest.parse(body())).toEqual(body());
  });

  it('accepts values right on the bounds', () => {
    const bounds = body({
      customerId: 'c'.repeat(64),
      items: [
        item({ sku: 's'.repeat(64), quantity: 1, unitPrice: 0 }),
        ...Array.from({ length: 99 }, () => item({ quantity: 1000 })),
      ],
    });
    expect(rejectedFields(bounds)).toEqual([]);
  });

  it('rejects an unknown top-level field', () => {
    const result = createOrderRequest.safeParse(body({ discount: 10 }));
    expect(result.success).toBe(false);
    expect(result.error?.issues).toEqual([
      expect.objectContaining({ code: 'unrecognized_keys', keys: ['discount'], path: [] }),
    ]);
  });

  it('rejects an unknown field inside an item', () => {
    const result = createOrderRequest.safeParse(body({ items: [item({ colour: 'red' })] }));
    expect(result.success).toBe(false);
    expect(result.error?.issues).toEqual([
      expect.objectContaining({ code: 'unrecognized_keys', keys: ['colour'], path: ['items', 0] }),
    ]);
  });

  it.each([
    ['customerId empty', body({ customerId: '' }), 'customerId'],
    ['customerId of 65 characters', body({ customerId: 'c'.repeat(65) }), 'customerId'],
    ['customerId not a string', body({ customerId: 42 }), 'customerId'],
    ['no items', body({ items: [] }), 'items'],
    ['101 items', body({ items: Array.from({ length: 101 }, () => item()) }), 'items'],
    ['items missing', { customerId: 'customer-1', currency: 'EUR' }, 'items'],
    ['sku empty', body({ items: [item({ sku: '' })] }), 'items.0.sku'],
    ['sku of 65 characters', body({ items: [item({ sku: 's'.repeat(65) })] }), 'items.0.sku'],
    ['quantity 0', body({ items: [item({ quantity: 0 })] }), 'items.0.quantity'],
    ['quantity 1001', body({ items: [item({ quantity: 1001 })] }), 'items.0.quantity'],
    ['fractional quantity', body({ items: [item({ quantity: 1.5 })] }), 'items.0.quantity'],
    ['quantity as a string', body({ items: [item({ quantity: '2' })] }), 'items.0.quantity'],
    ['negative unitPrice', body({ items: [item({ unitPrice: -1 })] }), 'items.0.unitPrice'],
    ['fractional unitPrice', body({ items: [item({ unitPrice: 9.99 })] }), 'items.0.unitPrice'],
    ['unitPrice as a string', body({ items: [item({ unitPrice: '100' })] }), 'items.0.unitPrice'],
  ])('rejects %s on that field', (_case, input, field) => {
    expect(rejectedFields(input)).toEqual([field]);
  });

  it.each(['EUR', 'USD', 'JPY'])('accepts the ISO-4217 currency %s', (currency) => {
    expect(rejectedFields(body({ currency }))).toEqual([]);
  });

  it.each(['eur', 'XYZ', 'EURO', 'EU', '', 978])('rejects the currency %p', (currency) => {
    expect(rejectedFields(body({ currency }))).toEqual(['currency']);
  });

  it('accepts a total of exactly Number.MAX_SAFE_INTEGER', () => {
    const items = [item({ quantity: 1, unitPrice: Number.MAX_SAFE_INTEGER })];
    expect(rejectedFields(body({ items }))).toEqual([]);
  });

  it('rejects, on items, a total beyond Number.MAX_SAFE_INTEGER', () => {
    const items = [
      item({ quantity: 1, unitPrice: Number.MAX_SAFE_INTEGER }),
      item({ quantity: 1, unitPrice: 1 }),
    ];
    const result = createOrderRequest.safeParse(body({ items }));
    expect(result.error?.issues).toEqual([
      expect.objectContaining({ path: ['items'], message: 'the order total is too large' }),
    ]);
  });

  it('rejects a body that is not an object', () => {
    expect(rejectedFields(null)).toEqual(['']);
    expect(rejectedFields([body()])).toEqual(['']);
  });
});

describe('idempotencyKey (Idempotency-Key header)', () => {
  it.each([
    ['absent', undefined],
    ['1 character', 'k'],
    ['128 characters', 'k'.repeat(128)],
  ])('accepts a key that is %s', (_case, key) => {
    expect(idempotencyKey.safeParse(key).success).toBe(true);
  });

  it.each([
    ['empty', ''],
    ['129 characters', 'k'.repeat(129)],
  ])('rejects a key that is %s', (_case, key) => {
    expect(idempotencyKey.safeParse(key).success).toBe(false);
  });
});
