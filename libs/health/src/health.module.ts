import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller';
import { BrokerIndicator } from './indicators/broker.indicator';
import { DatabaseIndicator } from './indicators/database.indicator';
import { OutboxIndicator } from './indicators/outbox.indicator';

@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController],
  providers: [DatabaseIndicator, BrokerIndicator, OutboxIndicator],
})
export class HealthModule {}
