import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { setGlobalErrorHandler, W3CTraceContextPropagator } from '@opentelemetry/core';
import { type Instrumentation, registerInstrumentations } from '@opentelemetry/instrumentation';
import { AmqplibInstrumentation } from '@opentelemetry/instrumentation-amqplib';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  type Sampler,
  type SpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { IncomingMessage } from 'node:http';
import type { TelemetrySettings } from './telemetry-settings';
import { tracingProblems } from './tracing-problems';

const QUIET_ROUTES = ['/health', '/metrics'];
const CORRELATION_ID = 'x-correlation-id';

/**
 * Starts tracing: W3C propagation, HTTP, Express, pg and amqplib instrumentation, and OTLP/HTTP
 * export when an endpoint is set. Without one, spans are created unsampled and only where they
 * carry context: nothing is recorded or sent, but trace ids still flow through requests and
 * messages (`traceparent`) and into the logs, so one order's lines can be found all the same.
 */
export function startTracing(settings: TelemetrySettings): TracerProvider {
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: settings.serviceName }),
    sampler: samplerFor(settings),
    spanProcessors: settings.endpoint ? [otlpExport(settings.endpoint)] : [],
  });
  // Without this, a failed export goes to OpenTelemetry's diag logger, silent unless set up.
  setGlobalErrorHandler((error) => tracingProblems.report(error));
  registerGlobally(provider);
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: instrumentations(settings),
  });
  return provider;
}

/**
 * Exporting, every trace is sampled unless its caller said not to. Not exporting, none is, even
 * under a caller's `traceparent` flagged sampled: recording spans nobody receives would only
 * cost each service CPU, at a client's choice. The trace id flows on either way, unsampled
 * when not exporting (OpenTelemetry has no span that passes the flag on unrecorded).
 */
export function samplerFor(settings: TelemetrySettings): Sampler {
  if (!settings.endpoint) return new AlwaysOffSampler();
  return new ParentBasedSampler({ root: new AlwaysOnSampler() });
}

/**
 * Makes `provider` the process's tracer provider, with W3C trace context propagation and a
 * context that follows async calls (AsyncLocalStorage), so spans find their parents.
 */
export function registerGlobally(provider: TracerProvider): void {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);
}

/**
 * HTTP and amqplib carry the trace context from request to message to request, so they are
 * always on. Express and pg only add spans, so they run, and are loaded, only when spans are
 * exported.
 */
function instrumentations(settings: TelemetrySettings): Instrumentation[] {
  const propagating: Instrumentation[] = [
    new HttpInstrumentation({
      ignoreIncomingRequestHook: (request: IncomingMessage) =>
        QUIET_ROUTES.some((route) => request.url?.startsWith(route) ?? false),
      // The id the service settled on (the caller's, or a new one), so a trace can be
      // found by the correlation id seen in logs and responses.
      applyCustomAttributesOnSpan: (span, _request, response) => {
        const correlationId =
          'getHeader' in response ? response.getHeader(CORRELATION_ID) : undefined;
        if (typeof correlationId === 'string') span.setAttribute('correlation_id', correlationId);
      },
    }),
    new AmqplibInstrumentation(),
  ];
  if (!settings.endpoint) return propagating;
  type ExpressModule = typeof import('@opentelemetry/instrumentation-express');
  type PgModule = typeof import('@opentelemetry/instrumentation-pg');
  /* eslint-disable @typescript-eslint/no-require-imports -- loaded on demand, see above */
  const { ExpressInstrumentation } =
    require('@opentelemetry/instrumentation-express') as ExpressModule;
  const { PgInstrumentation } = require('@opentelemetry/instrumentation-pg') as PgModule;
  /* eslint-enable @typescript-eslint/no-require-imports */
  // pg only inside a request or a message: the outbox relay's polling would be noise.
  return [
    ...propagating,
    new ExpressInstrumentation(),
    new PgInstrumentation({ requireParentSpan: true }),
  ];
}

/**
 * The OTLP exporter and what it pulls in (protobuf and metrics code among it) weigh several
 * megabytes: they are loaded only when spans are exported.
 */
function otlpExport(endpoint: string): SpanProcessor {
  type OtlpModule = typeof import('@opentelemetry/exporter-trace-otlp-http');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on demand, see above
  const otlp = require('@opentelemetry/exporter-trace-otlp-http') as OtlpModule;
  const { OTLPTraceExporter } = otlp;
  return new BatchSpanProcessor({
    exporter: new OTLPTraceExporter({ url: `${endpoint}/v1/traces` }),
    scheduledDelayMillis: 1_000,
  });
}
