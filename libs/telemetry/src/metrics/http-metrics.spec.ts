import type { NextFunction, Request, Response } from 'express';
import { EventEmitter } from 'node:events';
import { Counter, Histogram, Registry } from 'prom-client';
import { CLIENT_CLOSED_REQUEST, HttpMetrics } from './http-metrics';

describe('HttpMetrics', () => {
  const registry = new Registry();
  const labelNames = ['method', 'route', 'status'];
  const requests = new Counter({ name: 'requests', help: 'h', labelNames, registers: [registry] });
  const duration = new Histogram({
    name: 'duration',
    help: 'h',
    labelNames,
    registers: [registry],
  });
  const metrics = new HttpMetrics(requests, duration);

  /** A request through the middleware to `/orders/:id`; the response is the test's to end. */
  const requestOnce = () => {
    const req = { method: 'GET', baseUrl: '', route: { path: '/orders/:id' } } as Request;
    const res = Object.assign(new EventEmitter(), { statusCode: 200, writableFinished: false });
    metrics.middleware(req, res as unknown as Response, (() => undefined) as NextFunction);
    return res;
  };
  const counted = async (status: string) =>
    (await requests.get()).values.find((value) => value.labels.status === status)?.value;

  beforeEach(() => registry.resetMetrics());

  it('records an answered request by route template and status', async () => {
    const res = requestOnce();
    res.writableFinished = true;
    res.emit('finish');
    res.emit('close');
    expect(await counted('200')).toBe(1);
  });

  it('records a request whose client closed the connection before the answer, as 499', async () => {
    requestOnce().emit('close');
    expect(await counted(CLIENT_CLOSED_REQUEST)).toBe(1);
    expect(await counted('200')).toBeUndefined();
    const [observed] = (await duration.get()).values.filter(
      (value) => value.metricName === 'duration_count',
    );
    expect(observed).toMatchObject({ labels: { route: '/orders/:id', status: '499' }, value: 1 });
  });
});
