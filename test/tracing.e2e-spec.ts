import { SERVICE_NAMES } from '@app/services';
import { waitFor } from '@app/testing';
import { OtlpReceiver, type ReceivedSpan } from './support/otlp-receiver';
import { anOrder, PAID_ORDER_NOTIFICATIONS, Stack } from './support/stack';

const SERVER = 2;
const PRODUCER = 4;
const CONSUMER = 5;

describe('One order, one trace (services exporting to an OTLP receiver)', () => {
  let receiver: OtlpReceiver;
  let stack: Stack;

  beforeAll(async () => {
    receiver = await OtlpReceiver.start();
    stack = await Stack.start('tracing', {
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint },
    });
  });

  afterAll(async () => {
    await stack?.stop();
    await receiver?.stop();
  });

  const parentOf = (spans: ReceivedSpan[], span: ReceivedSpan) =>
    spans.find((candidate) => candidate.spanId === span.parentSpanId);

  it('spans POST /orders → relay → payment → payment.succeeded → order → notification in one trace', async () => {
    const correlationId = `trace-${Date.now()}`;
    const posted = await stack.placeOrder(anOrder(), { 'x-correlation-id': correlationId });
    await stack.settledOrder(posted.body.id);
    await stack.deliveredNotifications(posted.body.id, PAID_ORDER_NOTIFICATIONS.length);

    // The request span carries the correlation id, so the trace can be found by it.
    const post = await waitFor(
      () =>
        receiver.spans.find(
          (span) => span.kind === SERVER && span.attributes.correlation_id === correlationId,
        ),
      { description: 'the POST /orders server span, tagged with its correlation id' },
    );
    expect(post).toMatchObject({
      service: 'order',
      name: expect.stringMatching(/^POST/) as string,
    });
    const spans = await stack.explained(
      waitFor(
        () => {
          const trace = receiver.trace(post.traceId);
          const consumersIn = (service: string) =>
            trace.filter((span) => span.service === service && span.kind === CONSUMER).length;
          // order.created to payment and notification, payment.succeeded to order, order.paid
          // and two delivery jobs to notification.
          return consumersIn('payment') >= 1 &&
            consumersIn('order') >= 1 &&
            consumersIn('notification') >= 4
            ? trace
            : undefined;
        },
        {
          description: 'the consumer spans of every service in the POST’s trace',
          timeoutMs: 20_000,
        },
      ),
    );

    expect(new Set(spans.map((span) => span.service))).toEqual(new Set(SERVICE_NAMES));
    const tagged = spans.filter(
      (span) => span.kind === CONSUMER && span.attributes.correlation_id === correlationId,
    );
    expect(tagged.length).toBeGreaterThanOrEqual(6);
    // Every consumer span hangs off the producer span of the message it received.
    for (const consumer of spans.filter((span) => span.kind === CONSUMER)) {
      expect(parentOf(spans, consumer)?.kind).toBe(PRODUCER);
    }
    // The relay published order.created as a child of the request that wrote it.
    const firstPublish = spans.find((span) => span.kind === PRODUCER && span.service === 'order');
    expect(firstPublish).toBeDefined();
    let ancestor = firstPublish;
    while (ancestor && ancestor.kind !== SERVER) ancestor = parentOf(spans, ancestor);
    expect(ancestor?.spanId).toBe(post.spanId);

    // Log lines carry the trace and span ids besides the correlation id.
    const placed = stack.order
      .jsonLogs()
      .find((line) => String(line.msg).startsWith(`Order ${posted.body.id} placed`));
    expect(placed).toMatchObject({ traceId: post.traceId, spanId: expect.any(String) as string });
    const paid = stack.payments[0]
      .jsonLogs()
      .find((line) => String(line.msg).includes(`for order ${posted.body.id} SUCCEEDED`));
    expect(paid?.traceId).toBe(post.traceId);
  });

  it('makes the RPC request and its reply spans of the caller’s trace', async () => {
    const posted = await stack.placeOrder(anOrder());
    await stack.settledOrder(posted.body.id);
    // Tagged, to tell this GET's trace from those of the polls that waited for the order.
    const correlationId = `rpc-trace-${Date.now()}`;
    const get = await stack
      .orderApi()
      .get(`/orders/${posted.body.id}`)
      .set('x-correlation-id', correlationId)
      .expect(200);
    expect(get.body.payment.status).toBe('SUCCEEDED');

    const spans = await waitFor(
      () => {
        const server = receiver.spans.find(
          (span) => span.kind === SERVER && span.attributes.correlation_id === correlationId,
        );
        const trace = server ? receiver.trace(server.traceId) : [];
        return trace.some((span) => span.service === 'payment' && span.kind === CONSUMER)
          ? trace
          : undefined;
      },
      { description: 'the payment side of the RPC in the GET’s trace' },
    );
    const request = spans.find((span) => span.service === 'order' && span.kind === PRODUCER);
    const answered = spans.find((span) => span.service === 'payment' && span.kind === CONSUMER);
    expect(answered?.parentSpanId).toBe(request?.spanId);
    expect(spans.some((span) => span.service === 'payment' && span.kind === PRODUCER)).toBe(true);
  });
});
