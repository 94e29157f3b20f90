import { context, ROOT_CONTEXT, SpanKind, trace, TraceFlags } from '@opentelemetry/api';
import { SamplingDecision } from '@opentelemetry/sdk-trace';
import { samplerFor } from './start-tracing';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';

/** A context under a caller's `traceparent`, flagged sampled or not. */
function remoteParent(sampled: boolean) {
  return trace.setSpanContext(ROOT_CONTEXT, {
    traceId: TRACE_ID,
    spanId: '00f067aa0ba902b7',
    traceFlags: sampled ? TraceFlags.SAMPLED : TraceFlags.NONE,
    isRemote: true,
  });
}

const decide = (endpoint: string | undefined, parent = context.active()) =>
  samplerFor({ serviceName: 'payment', endpoint }).shouldSample(
    parent,
    TRACE_ID,
    'POST /orders',
    SpanKind.SERVER,
    {},
    [],
  ).decision;

describe('samplerFor', () => {
  it('records nothing without an endpoint, even when a caller asks for its trace sampled', () => {
    expect(decide(undefined, remoteParent(true))).toBe(SamplingDecision.NOT_RECORD);
    expect(decide(undefined, ROOT_CONTEXT)).toBe(SamplingDecision.NOT_RECORD);
  });

  it('exporting, samples every new trace and follows a caller’s choice', () => {
    const endpoint = 'http://jaeger:4318';
    expect(decide(endpoint, ROOT_CONTEXT)).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    expect(decide(endpoint, remoteParent(true))).toBe(SamplingDecision.RECORD_AND_SAMPLED);
    expect(decide(endpoint, remoteParent(false))).toBe(SamplingDecision.NOT_RECORD);
  });
});
