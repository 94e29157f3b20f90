import { runService } from '@app/platform';
import { NotificationModule } from './notification.module';

void runService(NotificationModule, 'notification');
