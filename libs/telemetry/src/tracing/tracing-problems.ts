/** At most one line a minute: a collector that is down fails every batch, once a second. */
const TELL_EVERY_MS = 60_000;

/**
 * What OpenTelemetry reports going wrong, a span export that failed above all (the collector
 * down, a wrong OTEL_EXPORTER_OTLP_ENDPOINT). Its global error handler logs to `diag`, which is
 * silent unless set up: spans would be dropped without a line. Told here instead, to the
 * service's logger once it is up: the first problem at once, then at most one line a minute
 * counting those in between, the last of them told when its minute is up.
 */
export class TracingProblems {
  private listener?: (text: string) => void;
  private latest?: string;
  private unreported = 0;
  private lastToldAt = Number.NEGATIVE_INFINITY;
  private timer?: NodeJS.Timeout;

  report(error: unknown): void {
    this.latest = reasonOf(error);
    this.unreported += 1;
    this.tellIfDue();
  }

  /** Where problems go from now on; one held from before boot is told at once. */
  listen(listener: (text: string) => void): void {
    this.listener = listener;
    this.tellIfDue();
  }

  private tellIfDue(): void {
    if (!this.listener || this.unreported === 0 || this.timer) return;
    const waitMs = this.lastToldAt + TELL_EVERY_MS - Date.now();
    if (waitMs > 0) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.tellIfDue();
      }, waitMs).unref();
      return;
    }
    const others = this.unreported - 1;
    const more = others > 0 ? ` (and ${others} more since the last such line)` : '';
    this.listener(`OpenTelemetry: ${this.latest}${more}; the spans concerned are dropped`);
    this.lastToldAt = Date.now();
    this.unreported = 0;
  }
}

/** A host of several addresses (localhost: ::1 and 127.0.0.1) fails with an empty AggregateError. */
function reasonOf(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return reasonOf(error.errors[0]);
  if (!(error instanceof Error)) return String(error);
  return error.message || ((error as { code?: string }).code ?? error.name);
}

/**
 * The process's: the tracing preload reports to it, the service's bootstrap listens. They are two
 * bundles, each with its own copy of this module, so the one instance is kept on `globalThis`
 * under a registered symbol, as @opentelemetry/api keeps its own globals.
 */
const SHARED = Symbol.for('nestjs-rabbitmq-microservices-starter.tracing-problems');
const shared = globalThis as { [SHARED]?: TracingProblems };
export const tracingProblems: TracingProblems = (shared[SHARED] ??= new TracingProblems());
