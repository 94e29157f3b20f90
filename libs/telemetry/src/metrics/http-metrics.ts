import { Injectable } from '@nestjs/common';
import {
  InjectMetric,
  makeCounterProvider,
  makeHistogramProvider,
} from '@willsoto/nestjs-prometheus';
import type { NextFunction, Request, Response } from 'express';
import type { Counter, Histogram } from 'prom-client';
import { MetricNames } from './metric-names';

export const httpMetricProviders = [
  makeCounterProvider({
    name: MetricNames.httpRequests,
    help: 'HTTP requests, by method, route and status',
    labelNames: ['method', 'route', 'status'],
  }),
  makeHistogramProvider({
    name: MetricNames.httpRequestDuration,
    help: 'HTTP request duration, by method, route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  }),
];

const UNMATCHED = '(unmatched)';

/** The status of a request whose client closed the connection before the answer (nginx's). */
export const CLIENT_CLOSED_REQUEST = '499';

/**
 * Counts and times every HTTP request, 404s and 413s included, labelled by route template
 * (`/orders/:id`, not the id) so the number of series stays bounded; `(unmatched)` for a path no
 * route takes, and for a request refused before routing (the body parser's 413, 415 or 400, the
 * Host check's). A request is recorded when its response closes, not when it finishes: one
 * whose client gave up first (a load balancer's timeout) never finishes, and it is among the
 * slowest, which the latency must not lose.
 */
@Injectable()
export class HttpMetrics {
  constructor(
    @InjectMetric(MetricNames.httpRequests) private readonly requests: Counter<string>,
    @InjectMetric(MetricNames.httpRequestDuration) private readonly duration: Histogram<string>,
  ) {}

  readonly middleware = (req: Request, res: Response, next: NextFunction): void => {
    const startedAt = process.hrtime.bigint();
    res.once('close', () => {
      const route = (req.route as { path?: string } | undefined)?.path;
      const labels = {
        method: req.method,
        route: route ? `${req.baseUrl}${route}` : UNMATCHED,
        status: res.writableFinished ? String(res.statusCode) : CLIENT_CLOSED_REQUEST,
      };
      this.requests.inc(labels);
      this.duration.observe(labels, Number(process.hrtime.bigint() - startedAt) / 1e9);
    });
    next();
  };
}
