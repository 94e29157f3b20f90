import { ApiErrorResponses } from '@app/platform';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { NotificationRepository } from '../notification.repository';
import { NotificationDto, type NotificationView, toNotificationView } from './notification.view';

class ListNotificationsQuery extends createZodDto(z.strictObject({ orderId: z.uuid() })) {}

@ApiTags('notifications')
@Controller('notifications')
export class ListNotificationsController {
  constructor(private readonly notifications: NotificationRepository) {}

  @Get()
  @ApiOperation({ summary: 'The notifications of an order' })
  @ApiOkResponse({
    description: 'Its notifications; empty when none',
    type: [NotificationDto.Output],
  })
  @ApiErrorResponses([400], { field: 'orderId', message: 'Invalid UUID' })
  async list(@Query() query: ListNotificationsQuery): Promise<NotificationView[]> {
    const rows = await this.notifications.listByOrder(query.orderId);
    return rows.map(toNotificationView);
  }
}
