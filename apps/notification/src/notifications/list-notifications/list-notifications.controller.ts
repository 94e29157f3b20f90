import { Controller, Get, Query } from '@nestjs/common';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { NotificationRepository } from '../notification.repository';
import { type NotificationView, toNotificationView } from './notification.view';

class ListNotificationsQuery extends createZodDto(z.strictObject({ orderId: z.uuid() })) {}

@Controller('notifications')
export class ListNotificationsController {
  constructor(private readonly notifications: NotificationRepository) {}

  @Get()
  async list(@Query() query: ListNotificationsQuery): Promise<NotificationView[]> {
    const rows = await this.notifications.listByOrder(query.orderId);
    return rows.map(toNotificationView);
  }
}
