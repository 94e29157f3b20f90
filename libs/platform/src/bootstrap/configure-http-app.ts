import { correlationIdMiddleware } from '@app/correlation';
import { HttpMetrics } from '@app/telemetry';
import type { INestApplication } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { answerClientError } from '../http/client-error.handler';
import { closeConnectionsWhileDraining } from '../http/draining-connections.middleware';
import { requireHostHeader, takeOverHostCheck } from '../http/host-header.middleware';
import { HttpExceptionFilter } from '../http/http-exception.filter';
import { requireJsonBody } from '../http/json-body.middleware';
import { answerUnmetExpectation } from '../http/unmet-expectation.handler';
import { answerUnreadableJson } from '../http/unreadable-json.handler';
import { requireUtf8Body } from '../http/utf8-body';
import { ValidationPipe } from '../http/zod-validation';
import { serveApiDocs } from './api-docs';
import { SERVICE_NAME } from './platform.module';
import { ServiceLifecycle } from './service-lifecycle';

/** DESIGN's 100 kB, in bytes: body-parser's '100kb' would be 102,400. */
export const MAX_BODY_BYTES = 100_000;

/**
 * The HTTP setup shared by every service and by the tests that boot one: the correlation id
 * first (so even a 413 carries it, and a request Node's parser refuses too), JSON bodies only
 * (415 otherwise) in UTF-8, a 100 kB limit, zod validation, one error shape, and the OpenAPI
 * documentation at /docs.
 * The application must be created with `bodyParser: false`.
 */
export function configureHttpApp(app: INestApplication): void {
  const express = app as NestExpressApplication;
  express.useLogger(express.get(Logger));
  express.getHttpServer().on('clientError', answerClientError);
  express.getHttpServer().on('checkExpectation', answerUnmetExpectation);
  takeOverHostCheck(express.getHttpServer());
  express.use(express.get(HttpMetrics).middleware);
  express.use(correlationIdMiddleware);
  express.use(closeConnectionsWhileDraining(express.get(ServiceLifecycle)));
  express.use(requireHostHeader);
  express.use(requireJsonBody);
  express.useBodyParser('json', { limit: MAX_BODY_BYTES, verify: requireUtf8Body });
  express.use(answerUnreadableJson);
  express.useGlobalFilters(new HttpExceptionFilter());
  express.useGlobalPipes(new ValidationPipe());
  serveApiDocs(express, express.get<string>(SERVICE_NAME));
}
