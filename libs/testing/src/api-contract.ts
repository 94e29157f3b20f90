import type Ajv2020 from 'ajv/dist/2020';
import type { ValidateFunction } from 'ajv/dist/2020';
import request from 'supertest';
import type { App } from 'supertest/types';

/** What a test saw: enough of a supertest response to hold it against the document. */
export interface ObservedResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  text?: string;
}

interface DocumentedHeader {
  required?: boolean;
}

interface DocumentedResponse {
  headers?: Record<string, DocumentedHeader>;
  content?: Record<string, { schema?: object }>;
}

interface DocumentedOperation {
  requestBody?: { content: Record<string, { schema?: object }> };
  responses: Record<string, DocumentedResponse>;
}

type DocumentedPaths = Record<string, Record<string, unknown>>;

const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

/**
 * A service's OpenAPI document as it serves it at /docs-json, checked by a real OpenAPI validator,
 * and held against real answers: a documented schema that a real response breaks fails the test.
 */
export class ApiContract {
  private readonly compiled = new Map<object, ValidateFunction>();

  private constructor(
    /** The document as served, `$ref`s and all. */
    readonly document: { openapi: string; paths: DocumentedPaths },
    private readonly paths: DocumentedPaths,
    private readonly ajv: Ajv2020,
  ) {}

  /** Fetches /docs-json and validates it; rejects with the validator's findings when invalid. */
  static async of(server: App): Promise<ApiContract> {
    // Loaded here, not at the top: most test files import this library and never need them.
    const [{ default: SwaggerParser }, { default: Ajv }, { default: addFormats }] =
      await Promise.all([
        import('@apidevtools/swagger-parser'),
        import('ajv/dist/2020'),
        import('ajv-formats'),
      ]);
    const served = await request(server).get('/docs-json').expect(200);
    const document = served.body as ApiContract['document'];
    // The validator dereferences what it is given in place: give it a copy.
    const dereferenced = (await SwaggerParser.validate(structuredClone(document) as never)) as {
      paths: DocumentedPaths;
    };
    const ajv = addFormats(new Ajv({ allErrors: true, strict: false }));
    return new ApiContract(document, dereferenced.paths, ajv);
  }

  /** Every documented operation, as `get /orders/{id}`. */
  operations(): string[] {
    return Object.entries(this.paths).flatMap(([path, item]) =>
      METHODS.filter((method) => method in item).map((method) => `${method} ${path}`),
    );
  }

  /** How `response` breaks what the document promises for `operation`; empty when it keeps it. */
  mismatches(operation: string, response: ObservedResponse): string[] {
    const documented = this.operation(operation).responses[String(response.status)];
    if (!documented) return [`${operation}: status ${response.status} is not documented`];
    const missingHeaders = Object.entries(documented.headers ?? {})
      .filter(([name, header]) => header.required && response.headers[name.toLowerCase()] == null)
      .map(([name]) => `${operation} ${response.status}: no ${name} header`);
    const type = String(response.headers['content-type']).split(';')[0];
    const content = documented.content?.[type];
    if (!content) {
      return [...missingHeaders, `${operation} ${response.status}: ${type} is not documented`];
    }
    const body = type === 'application/json' ? response.body : response.text;
    return [...missingHeaders, ...this.schemaErrors(content.schema, body, `${response.status}`)];
  }

  /** How `body` breaks the documented JSON request body of `operation`; empty when it fits. */
  requestMismatches(operation: string, body: unknown): string[] {
    const schema = this.operation(operation).requestBody?.content['application/json']?.schema;
    return this.schemaErrors(schema, body, 'request body');
  }

  private operation(operation: string): DocumentedOperation {
    const [method, path] = operation.split(' ');
    const found = this.paths[path]?.[method] as DocumentedOperation | undefined;
    if (!found) throw new Error(`${operation} is not documented`);
    return found;
  }

  private schemaErrors(schema: object | undefined, value: unknown, what: string): string[] {
    if (!schema) return [`${what}: no schema documented`];
    let validate = this.compiled.get(schema);
    if (!validate) {
      validate = this.ajv.compile(schema);
      this.compiled.set(schema, validate);
    }
    if (validate(value)) return [];
    return (validate.errors ?? []).map(
      (error) => `${what}: ${error.instancePath || '(root)'} ${error.message ?? 'is invalid'}`,
    );
  }
}

/**
 * The operations every service serves besides its own routes: DESIGN §2's health and metrics,
 * and `/health/serving`, which Kubernetes routes traffic by (deploy/k8s/README.md).
 */
export const EVERY_SERVICE_OPERATIONS = [
  'get /health/live',
  'get /health/ready',
  'get /health/serving',
  'get /metrics',
] as const;
