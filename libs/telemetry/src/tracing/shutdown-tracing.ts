import { trace } from '@opentelemetry/api';

interface Flushable {
  shutdown(): Promise<void>;
}

const FLUSH_TIMEOUT_MS = 3_000;

/** Sends the spans still buffered, at most for a few seconds; a no-op when tracing never started. */
export async function shutdownTracing(): Promise<void> {
  const provider = trace.getTracerProvider() as { getDelegate?: () => unknown };
  const delegate = (provider.getDelegate?.() ?? provider) as Partial<Flushable>;
  if (typeof delegate.shutdown !== 'function') return;
  await Promise.race([
    delegate.shutdown().catch(() => undefined),
    new Promise((resolve) => setTimeout(resolve, FLUSH_TIMEOUT_MS).unref()),
  ]);
}
