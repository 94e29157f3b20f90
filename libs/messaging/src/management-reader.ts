import { brokerUrls } from '@app/platform';
import { fetchFailure } from './first-node';

const REQUEST_TIMEOUT_MS = 10_000;

/** The virtual host a RABBITMQ_URL names (its first node's): its path, `/` when it has none. */
export function virtualHostOf(rabbitmqUrl: string): string {
  const path = new URL(brokerUrls(rabbitmqUrl)[0]).pathname;
  return path.length > 1 ? decodeURIComponent(path.slice(1)) : '/';
}

/** A management API URL split into where it is (safe to print) and its Basic credentials. */
export function managementAddress(url: string): { location: string; authorization?: string } {
  const parsed = new URL(url);
  const user = decodeURIComponent(parsed.username);
  const password = decodeURIComponent(parsed.password);
  return {
    // A path keeps working behind management.path_prefix or a reverse proxy.
    location: `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}`,
    authorization: user
      ? `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`
      : undefined,
  };
}

/**
 * Reads the RabbitMQ management API for command-line tools: credentials from the URL go into a
 * header only, and a failure is one sentence naming the API without them.
 */
export class ManagementReader {
  /** The URL without credentials, safe to print. */
  readonly location: string;
  private readonly authorization?: string;

  constructor(url: string) {
    ({ location: this.location, authorization: this.authorization } = managementAddress(url));
  }

  /** GET /api/<segments…>, each segment URL-encoded (a vhost `/` becomes %2F). */
  async get<T>(...segments: string[]): Promise<T> {
    const path = segments.map(encodeURIComponent).join('/');
    let response: Response;
    try {
      response = await fetch(`${this.location}/api/${path}`, {
        headers: this.authorization ? { authorization: this.authorization } : {},
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch (error) {
      throw new Error(
        `the RabbitMQ management API at ${this.location} is unreachable (${fetchFailure(error)})`,
        { cause: error },
      );
    }
    if (!response.ok) {
      throw new Error(
        `the RabbitMQ management API at ${this.location} answered ${response.status} to GET /api/${path}`,
      );
    }
    return (await response.json()) as T;
  }
}
