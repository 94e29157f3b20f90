import { runService } from '@app/platform';
import { PaymentModule } from './payment.module';

void runService(PaymentModule, 'payment');
