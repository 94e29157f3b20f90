import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { STATUS_CODES } from 'node:http';
import { type ErrorBody, ErrorBodyDto, type FieldError } from './error-body.schema';

/** The error statuses the HTTP exception filter answers with, and when. */
const ERRORS = {
  400: {
    description: 'Invalid input: each field error is listed in `errors`; malformed JSON has none',
    message: 'Validation failed',
  },
  404: {
    description: 'No such resource',
    message: 'Order 0f8fad5b-d9cb-469f-a165-70867728950e not found',
  },
  413: { description: 'Request body over 100 kB', message: 'Request body too large' },
  415: {
    description:
      'A body not sent as JSON (Content-Type: application/json), or an unsupported encoding or charset',
    message: 'The request body must be JSON (Content-Type: application/json)',
  },
  422: {
    description: 'The Idempotency-Key was already used with a different body',
    message: 'This Idempotency-Key was already used with a different request body',
  },
  500: { description: 'Unexpected error; the service logs it', message: 'Internal server error' },
  503: {
    description: 'The database is unreachable: try again shortly',
    message: 'Temporarily unavailable, try again shortly',
  },
} as const satisfies Record<number, { description: string; message: string }>;

export type DocumentedErrorStatus = keyof typeof ERRORS;

/**
 * Documents the error answers of a route in the shared error shape, with `invalid` as the example
 * field error of its 400. Every route may also answer 500 (a bug) and 503 (database down), so
 * those are always listed.
 */
export function ApiErrorResponses(statuses: DocumentedErrorStatus[], invalid?: FieldError) {
  const all = [...new Set<DocumentedErrorStatus>([...statuses, 500, 503])].sort((a, b) => a - b);
  const example = (status: DocumentedErrorStatus): ErrorBody => ({
    statusCode: status,
    error: STATUS_CODES[status]!,
    message: ERRORS[status].message,
    ...(status === 400 && invalid ? { errors: [invalid] } : {}),
  });
  return applyDecorators(
    ...all.map((status) =>
      ApiResponse({
        status,
        description: ERRORS[status].description,
        type: ErrorBodyDto.Output,
        example: example(status),
      }),
    ),
  );
}
