import { EVENTS_EXCHANGE } from '@app/contracts';
import { brokerUrls } from '@app/platform';

const REQUEST_TIMEOUT_MS = 10_000;

/** The virtual host a RABBITMQ_URL names: its path, `/` when it has none. */
export function virtualHostOf(rabbitmqUrl: string): string {
  const path = new URL(brokerUrls(rabbitmqUrl)[0]).pathname;
  return path.length > 1 ? decodeURIComponent(path.slice(1)) : '/';
}

/**
 * The routing keys `queue` is bound with on the events exchange, from the management API: the
 * event types it consumes, so a replay without --type sends nothing its handlers would refuse.
 */
export async function boundEventTypes(
  managementUrl: string,
  vhost: string,
  queue: string,
): Promise<string[]> {
  const parsed = new URL(managementUrl);
  const user = decodeURIComponent(parsed.username);
  const authorization = `Basic ${Buffer.from(`${user}:${decodeURIComponent(parsed.password)}`).toString('base64')}`;
  const base = `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}`;
  const path = `api/queues/${encodeURIComponent(vhost)}/${encodeURIComponent(queue)}/bindings`;
  let response: Response;
  try {
    response = await fetch(`${base}/${path}`, {
      headers: user ? { authorization } : {},
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch {
    throw new Error(`the management API at ${base} is unreachable; name the events with --type`);
  }
  if (!response.ok) {
    throw new Error(
      `the management API at ${base} answered ${response.status} for the bindings of ${queue}; name the events with --type`,
    );
  }
  const bindings = (await response.json()) as { source: string; routing_key: string }[];
  return bindings
    .filter((binding) => binding.source === EVENTS_EXCHANGE)
    .map((binding) => binding.routing_key);
}
