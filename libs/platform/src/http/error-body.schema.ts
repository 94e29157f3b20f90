import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

export const fieldErrorSchema = z.object({
  field: z.string().meta({ description: 'Dotted path of the field, e.g. `items.0.quantity`' }),
  message: z.string(),
});

export type FieldError = z.output<typeof fieldErrorSchema>;

/** The one error shape every route answers with (the health checks keep the terminus format). */
export const errorBodySchema = z.object({
  statusCode: z.int(),
  error: z.string().meta({ description: 'The reason phrase of the status code' }),
  message: z.string(),
  errors: z
    .array(fieldErrorSchema)
    .optional()
    .meta({ description: 'Every field error, when input failed validation' }),
});

export type ErrorBody = z.output<typeof errorBodySchema>;

export class ErrorBodyDto extends createZodDto(errorBodySchema) {}
