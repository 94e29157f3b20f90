import { context, propagation, trace } from '@opentelemetry/api';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import { registerGlobally } from './start-tracing';
import { currentTraceHeaders, withTraceHeaders } from './trace-headers';

describe('trace headers, as the outbox stores and the relay restores them', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  const tracer = () => trace.getTracer('test');

  beforeAll(() => registerGlobally(provider));
  afterAll(async () => {
    await provider.shutdown();
    trace.disable();
    context.disable();
    propagation.disable();
  });
  beforeEach(() => exporter.reset());

  it('captures the writing request’s context and publishes later as its child, in one trace', async () => {
    let stored: Record<string, string> = {};
    tracer().startActiveSpan('POST /orders', (request) => {
      stored = currentTraceHeaders(); // what OutboxWriter.add keeps with the row
      request.end();
    });
    expect(stored.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);

    // Later, elsewhere, with no request in sight: the relay publishes in the stored context.
    await Promise.resolve();
    withTraceHeaders(stored, () => tracer().startSpan('events publish').end());

    const [request, publish] = exporter.getFinishedSpans();
    expect(publish.spanContext().traceId).toBe(request.spanContext().traceId);
    expect(publish.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
  });

  it('gives each row of a batch its own parent, even published one after the other', () => {
    const rows = ['a', 'b'].map((name) => {
      let headers: Record<string, string> = {};
      tracer().startActiveSpan(name, (span) => {
        headers = currentTraceHeaders();
        span.end();
      });
      return { name, headers };
    });
    for (const row of rows)
      withTraceHeaders(row.headers, () => tracer().startSpan(`publish ${row.name}`).end());

    const spans = exporter.getFinishedSpans();
    const byName = new Map(spans.map((span) => [span.name, span]));
    for (const name of ['a', 'b']) {
      expect(byName.get(`publish ${name}`)?.parentSpanContext?.spanId).toBe(
        byName.get(name)?.spanContext().spanId,
      );
    }
  });

  it('stores nothing and changes nothing when there is no trace', () => {
    expect(currentTraceHeaders()).toEqual({});
    expect(withTraceHeaders({}, () => trace.getActiveSpan())).toBeUndefined();
  });
});
