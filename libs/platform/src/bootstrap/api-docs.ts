import { CORRELATION_ID_HEADER } from '@app/correlation';
import type { INestApplication } from '@nestjs/common';
import {
  DocumentBuilder,
  type OpenAPIObject,
  SwaggerModule,
  type ResponseObject,
} from '@nestjs/swagger';
import { cleanupOpenApiDoc } from 'nestjs-zod';

/** Swagger UI at /docs, the OpenAPI document at /docs-json. */
export const API_DOCS_PATH = 'docs';

const DESCRIPTION =
  'Errors share one shape, `{ statusCode, error, message, errors? }`; the health routes answer ' +
  'in the terminus format. ' +
  `Every response carries \`${CORRELATION_ID_HEADER}\`: the caller's, when one was sent and is ` +
  'plain text of at most 128 characters, else a new UUID. Search the logs and traces by it.';

const OPERATIONS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/** Every route takes and answers the correlation header, so it is declared once and referenced. */
function withCorrelationHeader(document: OpenAPIObject): OpenAPIObject {
  const components = document.components ?? {};
  components.parameters = {
    ...components.parameters,
    CorrelationId: {
      name: CORRELATION_ID_HEADER,
      in: 'header',
      required: false,
      description: 'Your id for this request, echoed on the response and passed on in messages',
      schema: { type: 'string', maxLength: 128 },
    },
  };
  components.headers = {
    ...components.headers,
    CorrelationId: {
      description: 'The id of this request in logs, traces and the messages it causes',
      required: true,
      schema: { type: 'string' },
    },
  };
  for (const path of Object.values(document.paths)) {
    path.parameters = [{ $ref: '#/components/parameters/CorrelationId' }];
    for (const method of OPERATIONS) {
      for (const response of Object.values(path[method]?.responses ?? {})) {
        const answer = response as ResponseObject;
        answer.headers = {
          ...answer.headers,
          [CORRELATION_ID_HEADER]: { $ref: '#/components/headers/CorrelationId' },
        };
      }
    }
  }
  return { ...document, components };
}

/** The OpenAPI 3.1 document of a service's HTTP API, from its controllers and zod schemas. */
export function createApiDocument(app: INestApplication, service: string): OpenAPIObject {
  const config = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle(`${service} service`)
    .setDescription(DESCRIPTION)
    .build();
  return withCorrelationHeader(cleanupOpenApiDoc(SwaggerModule.createDocument(app, config)));
}

/** Serves the API documentation, built on the first request for it. */
export function serveApiDocs(app: INestApplication, service: string): void {
  SwaggerModule.setup(API_DOCS_PATH, app, () => createApiDocument(app, service), {
    raw: ['json'],
  });
}
