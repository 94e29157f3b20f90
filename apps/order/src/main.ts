import { runService } from '@app/platform';
import { OrderModule } from './order.module';

void runService(OrderModule, 'order');
