import { baseConfigSchema, configValidator, envInteger, envRate } from '@app/platform';
import { paymentService } from '@app/services';
import type { z } from 'zod';

export const paymentConfigSchema = baseConfigSchema({
  port: paymentService.port,
  serviceName: paymentService.name,
}).extend({
  /** Orders whose total exceeds this many minor units are declined by the fake provider. */
  PAYMENT_DECLINE_ABOVE: envInteger({ min: 0 }).default(1_000_000),
  /** Share of charges (0..1) on which the fake provider fails transiently, to exercise retries. */
  PAYMENT_TRANSIENT_FAILURE_RATE: envRate().default(0),
});
export type PaymentConfig = z.output<typeof paymentConfigSchema>;
export const validatePaymentConfig = configValidator(paymentConfigSchema);
