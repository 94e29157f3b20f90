import { runService } from '@app/platform';
import { orderService } from '@app/services';
import { OrderModule } from './order.module';

void runService(OrderModule, orderService.name);
