import { Controller, Get, Query } from '@nestjs/common';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { PaymentRepository } from '../payment.repository';
import { type PaymentView, toPaymentView } from './payment.view';

class ListPaymentsQuery extends createZodDto(z.strictObject({ orderId: z.uuid() })) {}

@Controller('payments')
export class ListPaymentsController {
  constructor(private readonly payments: PaymentRepository) {}

  @Get()
  async list(@Query() query: ListPaymentsQuery): Promise<PaymentView[]> {
    const rows = await this.payments.listByOrder(query.orderId);
    return rows.map(toPaymentView);
  }
}
