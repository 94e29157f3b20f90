import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { STATUS_CODES } from 'node:http';
import { isDatabaseUnavailable } from '../database/database-errors';
import { errorMessage } from '../error-message';
import type { ErrorBody, FieldError } from './error-body.schema';

/** Messages for the errors the body parser raises, which carry their status themselves. */
const FOREIGN_MESSAGES: Record<number, string> = {
  400: 'Malformed request body',
  413: 'Request body too large',
  415: 'Unsupported body encoding or charset',
};

/** Body-parser and similar errors carry their HTTP status on the error object itself. */
function statusOfForeignError(exception: unknown): number | undefined {
  if (typeof exception !== 'object' || exception === null) return undefined;
  const status = (exception as { status?: unknown }).status;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}

/**
 * A response body that is a report of its own rather than an error message, such as the
 * health checks' terminus format (`{ status, info, error, details }`): passed on unchanged.
 */
function reportOf(exception: unknown): object | undefined {
  if (!(exception instanceof HttpException)) return undefined;
  const response = exception.getResponse();
  if (typeof response !== 'object' || response === null) return undefined;
  return 'status' in response && !('message' in response) ? response : undefined;
}

function bodyOfHttpException(exception: HttpException): ErrorBody {
  const status = exception.getStatus();
  const response = exception.getResponse();
  const details = typeof response === 'object' && response !== null ? response : {};
  // `errors` is only ever set by this project's validation: the pipe and the controllers.
  const { message, errors } = details as { message?: unknown; errors?: FieldError[] };
  return {
    statusCode: status,
    error: STATUS_CODES[status] ?? 'Error',
    message: typeof message === 'string' ? message : exception.message,
    ...(errors === undefined ? {} : { errors }),
  };
}

/**
 * One error shape for every route: `{ statusCode, error, message, errors? }` (health reports
 * keep their own). Internal errors are
 * logged with their stack and answered with a generic message, so no stack trace leaves the
 * process; an unreachable database answers 503, which tells clients to try again.
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    // A message handler's error is not HTTP's to answer: the message transport, which shares
    // the app's global filters, needs it unchanged to choose between retry and dead-letter.
    if (host.getType() !== 'http') throw exception;
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const request = http.getRequest<Request>();
    if (response.headersSent) return;
    const report = reportOf(exception);
    if (report) {
      response.status((exception as HttpException).getStatus()).json(report);
      return;
    }
    const body = this.toBody(exception, request);
    response.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown, request: Request): ErrorBody {
    if (exception instanceof HttpException) return bodyOfHttpException(exception);
    const foreignStatus = statusOfForeignError(exception);
    if (foreignStatus !== undefined) {
      const message =
        FOREIGN_MESSAGES[foreignStatus] ?? STATUS_CODES[foreignStatus] ?? 'Bad request';
      return { statusCode: foreignStatus, error: STATUS_CODES[foreignStatus] ?? 'Error', message };
    }
    // The database, or another service the route calls: a refused connection reads the same.
    if (isDatabaseUnavailable(exception)) {
      this.logger.warn(
        `Unreachable while serving ${request.method} ${request.originalUrl}: ${errorMessage(exception)}`,
      );
      const status = HttpStatus.SERVICE_UNAVAILABLE;
      return {
        statusCode: status,
        error: STATUS_CODES[status]!,
        message: 'Temporarily unavailable, try again shortly',
      };
    }
    this.logger.error(
      { err: exception, method: request.method, url: request.originalUrl },
      'Unhandled error while serving a request',
    );
    const status = HttpStatus.INTERNAL_SERVER_ERROR;
    return { statusCode: status, error: STATUS_CODES[status]!, message: 'Internal server error' };
  }
}
