import { z } from 'zod';
import { freeText } from './free-text.schema';

const ISO_4217_CODES = new Set(Intl.supportedValuesOf('currency'));

/** An ISO-4217 alphabetic code such as EUR, as the runtime's Intl data knows them. */
export const currencyCode = z
  .string()
  .refine(
    (code) => /^[A-Z]{3}$/.test(code) && ISO_4217_CODES.has(code),
    'must be an ISO-4217 currency code such as EUR',
  )
  .meta({ description: 'ISO-4217 currency code', examples: ['EUR'] });

/** An amount in minor units (cents), never fractional. */
export const minorUnits = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const orderItem = z.object({
  sku: freeText(1, 64),
  quantity: z.number().int().min(1).max(1000),
  unitPrice: minorUnits,
});

export type OrderItem = z.output<typeof orderItem>;
