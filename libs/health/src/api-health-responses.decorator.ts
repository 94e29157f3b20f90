import { applyDecorators } from '@nestjs/common';
import { ApiOkResponse, ApiServiceUnavailableResponse } from '@nestjs/swagger';
import { HealthReportDto } from './health-report.schema';

const UP = {
  database: { status: 'up' },
  broker: { status: 'up' },
  consumers: {
    status: 'up',
    queues: ['order.payment-results'],
    inFlight: { 'order.payment-results': 0 },
  },
  outbox: { status: 'up', pending: 0, oldestPendingSeconds: 0 },
};

/** Documents a health route: 200 when every check is up, 503 with the failing ones. */
export function ApiHealthResponses() {
  return applyDecorators(
    ApiOkResponse({
      description: 'Every check is up',
      type: HealthReportDto.Output,
      example: { status: 'ok', info: UP, error: {}, details: UP },
    }),
    ApiServiceUnavailableResponse({
      description: 'A check is down, or the service is draining before it stops',
      type: HealthReportDto.Output,
      example: {
        status: 'error',
        info: { database: UP.database, consumers: UP.consumers, outbox: UP.outbox },
        error: { broker: { status: 'down', message: 'not connected to RabbitMQ' } },
        details: { ...UP, broker: { status: 'down', message: 'not connected to RabbitMQ' } },
      },
    }),
  );
}
