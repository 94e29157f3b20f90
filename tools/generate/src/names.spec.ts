import {
  assertEventType,
  assertKebab,
  camel,
  contractName,
  eventFile,
  pascal,
  schemaOf,
  sourceOf,
} from './names';

describe('generator names', () => {
  it('derives the contract, file and source of an event type', () => {
    expect(contractName('payment.refund-requested')).toBe('PaymentRefundRequested');
    expect(eventFile('payment.refund-requested')).toBe('payment-refund-requested');
    expect(sourceOf('order.paid')).toBe('order');
  });

  it('spells a service name in each case', () => {
    expect(pascal('gift-card')).toBe('GiftCard');
    expect(camel('gift-card')).toBe('giftCard');
  });

  it('names the schema after the service, plural when SQL reserves the word', () => {
    expect(schemaOf('shipping')).toBe('shipping');
    expect(schemaOf('gift-card')).toBe('gift_card');
    expect(schemaOf('order')).toBe('orders');
  });

  it('refuses names that are not kebab-case and types without a source', () => {
    expect(() => assertKebab('Shipping', 'Service name')).toThrow(/kebab-case/);
    expect(() => assertKebab('ship_ping', 'Service name')).toThrow(/kebab-case/);
    expect(() => assertEventType('paid')).toThrow(/<source>\.<event>/);
    expect(() => assertEventType('order.paid')).not.toThrow();
    expect(() => assertEventType('payment.refund-requested')).not.toThrow();
    for (const typo of ['order.shipped-', 'order-.paid', 'order.paid--late', 'order..paid']) {
      expect(() => assertEventType(typo)).toThrow(/<source>\.<event> in kebab-case/);
    }
  });
});
