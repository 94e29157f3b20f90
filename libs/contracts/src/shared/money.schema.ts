import { z } from 'zod';

const ISO_4217_CODES = new Set(Intl.supportedValuesOf('currency'));

/** An ISO-4217 alphabetic code such as EUR, as the runtime's Intl data knows them. */
export const currencyCode = z
  .string()
  .regex(/^[A-Z]{3}$/, 'must be a three-letter ISO-4217 code such as EUR')
  .refine((code) => ISO_4217_CODES.has(code), 'is not an ISO-4217 currency code');

/** An amount in minor units (cents), never fractional. */
export const minorUnits = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const orderItem = z.object({
  sku: z.string().min(1).max(64),
  quantity: z.number().int().min(1).max(1000),
  unitPrice: minorUnits,
});

export type OrderItem = z.output<typeof orderItem>;
