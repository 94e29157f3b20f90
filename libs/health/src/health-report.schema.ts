import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

/** Each check by name (`database`, `broker`, `consumers`, `outbox`), with its details. */
const checks = z.record(z.string(), z.looseObject({ status: z.enum(['up', 'down']) }));

/** The terminus report both health routes answer with, 200 or 503 alike. */
export const healthReport = z.object({
  status: z.enum(['ok', 'error', 'shutting_down']),
  info: checks.optional().meta({ description: 'The checks that are up' }),
  error: checks.optional().meta({ description: 'The checks that are down' }),
  details: checks.optional().meta({ description: 'Every check' }),
});

export class HealthReportDto extends createZodDto(healthReport) {}
