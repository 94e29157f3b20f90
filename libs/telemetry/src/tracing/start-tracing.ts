import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { AmqplibInstrumentation } from '@opentelemetry/instrumentation-amqplib';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { IncomingMessage } from 'node:http';
import type { TelemetrySettings } from './telemetry-settings';

const QUIET_ROUTES = ['/health', '/metrics'];
const CORRELATION_ID = 'x-correlation-id';

/**
 * Starts tracing: W3C propagation, HTTP, Express, pg and amqplib instrumentation, and OTLP/HTTP
 * export when an endpoint is set. Without one, spans are created unsampled: nothing is recorded
 * or sent, but trace ids still flow through requests and messages (`traceparent`) and into the
 * logs, so one order's lines can be found across services all the same.
 */
export function startTracing(settings: TelemetrySettings): NodeTracerProvider {
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: settings.serviceName }),
    sampler: new ParentBasedSampler({
      root: settings.endpoint ? new AlwaysOnSampler() : new AlwaysOffSampler(),
    }),
    spanProcessors: settings.endpoint
      ? [
          new BatchSpanProcessor(new OTLPTraceExporter({ url: `${settings.endpoint}/v1/traces` }), {
            scheduledDelayMillis: 1_000,
          }),
        ]
      : [],
  });
  provider.register({ propagator: new W3CTraceContextPropagator() });
  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
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
      new ExpressInstrumentation(),
      // Only inside a request or a message: the outbox relay's polling would be noise.
      new PgInstrumentation({ requireParentSpan: true }),
      new AmqplibInstrumentation(),
    ],
  });
  return provider;
}
