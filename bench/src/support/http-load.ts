import autocannon from 'autocannon';
import { pacedPostLoad } from './paced-load';

export interface LoadOptions {
  url: string;
  body: unknown;
  connections: number;
  seconds: number;
  /**
   * Orders per second, evenly spaced over all connections (see pacedPostLoad); omitted:
   * autocannon, as fast as they are answered.
   */
  rate?: number;
}

export interface LoadOutcome {
  /** Requests answered 2xx. Requests cut off when the load stops may still have been handled. */
  accepted: number;
  rejected: number;
  errors: number;
  seconds: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
}

/** POSTs `body` from this process on keep-alive connections, like a real client. */
export function postLoad(options: LoadOptions): Promise<LoadOutcome> {
  const { rate } = options;
  return rate === undefined ? saturate(options) : pacedPostLoad({ ...options, rate });
}

/** autocannon: each connection sends its next request as soon as the last one is answered. */
function saturate(options: LoadOptions): Promise<LoadOutcome> {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: options.url,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(options.body),
        connections: options.connections,
        duration: options.seconds,
      },
      (error, result) => {
        if (error) return reject(error);
        resolve({
          accepted: result['2xx'],
          rejected: result.non2xx,
          errors: result.errors,
          seconds: result.duration,
          latencyP50Ms: result.latency.p50,
          latencyP99Ms: result.latency.p99,
        });
      },
    );
  });
}
