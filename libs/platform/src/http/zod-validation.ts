import { BadRequestException } from '@nestjs/common';
import { createZodValidationPipe } from 'nestjs-zod';
import { z } from 'zod';
import type { FieldError } from './error-body.schema';

/** Flattens zod issues into one entry per offending field, naming unknown fields one by one. */
export function toFieldErrors(error: z.ZodError): FieldError[] {
  const byField = new Map<string, string>();
  for (const { field, message } of issueErrors(error)) {
    const previous = byField.get(field);
    byField.set(field, previous ? `${previous}; ${message}` : message);
  }
  return [...byField].map(([field, message]) => ({ field, message }));
}

function issueErrors(error: z.ZodError): FieldError[] {
  return error.issues.flatMap((issue) => {
    const base = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        field: base ? `${base}.${key}` : key,
        message: 'Unknown field',
      }));
    }
    return [{ field: base || '(body)', message: issue.message }];
  });
}

export const ValidationPipe = createZodValidationPipe({
  createValidationException: (error: unknown) =>
    new BadRequestException({
      message: 'Validation failed',
      errors: error instanceof z.ZodError ? toFieldErrors(error) : [],
    }),
});
