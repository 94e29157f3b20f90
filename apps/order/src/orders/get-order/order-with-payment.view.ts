import { GetPaymentByOrder } from '@app/contracts';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { orderView } from '../order.view';

/** The payment service's answer over RPC, or UNKNOWN when the call failed (most often: its deadline passed). */
export const paymentView = z
  .union([GetPaymentByOrder.reply, z.object({ status: z.literal('UNKNOWN') })])
  .meta({
    description:
      'From the payment service over RPC; UNKNOWN when it does not answer in time or the call fails',
  });

export type PaymentView = z.output<typeof paymentView>;

/** GET /orders/:id: the order and how its payment stands. */
export const orderWithPayment = orderView.extend({ payment: paymentView });

export type OrderWithPayment = z.output<typeof orderWithPayment>;
export class OrderWithPaymentDto extends createZodDto(orderWithPayment) {}
