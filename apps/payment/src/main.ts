import { runService } from '@app/platform';
import { paymentService } from '@app/services';
import { PaymentModule } from './payment.module';

void runService(PaymentModule, paymentService.name);
