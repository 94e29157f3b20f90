import { ApiErrorResponses } from '@app/platform';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { PaymentRepository } from '../payment.repository';
import { PaymentDto, type PaymentView, toPaymentView } from './payment.view';

class ListPaymentsQuery extends createZodDto(z.strictObject({ orderId: z.uuid() })) {}

@ApiTags('payments')
@Controller('payments')
export class ListPaymentsController {
  constructor(private readonly payments: PaymentRepository) {}

  @Get()
  @ApiOperation({ summary: 'The payments of an order' })
  @ApiOkResponse({ description: 'Its payments; empty when none', type: [PaymentDto.Output] })
  @ApiErrorResponses([400], { field: 'orderId', message: 'Invalid UUID' })
  async list(@Query() query: ListPaymentsQuery): Promise<PaymentView[]> {
    const rows = await this.payments.listByOrder(query.orderId);
    return rows.map(toPaymentView);
  }
}
