import { runService } from '@app/platform';
import { notificationService } from '@app/services';
import { NotificationModule } from './notification.module';

void runService(NotificationModule, notificationService.name);
