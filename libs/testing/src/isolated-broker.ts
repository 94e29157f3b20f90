import { randomBytes } from 'node:crypto';
import { fetchManagement } from './management-fetch';
import { type TestSettings, testSettings } from './test-environment';

export interface IsolatedBroker {
  /** amqp URL of a virtual host of this test file's own. */
  url: string;
  vhost: string;
  dispose(): Promise<void>;
}

/** The RabbitMQ management API: RABBITMQ_MANAGEMENT_URL, or port 15672 on the broker's host. */
export function managementEndpoint(settings: TestSettings = testSettings): {
  base: string;
  authorization: string;
  user: string;
} {
  const amqp = new URL(settings.rabbitmqUrl);
  const management = new URL(settings.managementUrl ?? `http://${amqp.hostname}:15672`);
  const user = decodeURIComponent(management.username || amqp.username || 'guest');
  const password = decodeURIComponent(management.password || amqp.password || 'guest');
  management.username = '';
  management.password = '';
  return {
    base: management.toString().replace(/\/$/, ''),
    authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
    user,
  };
}

/** fetch says only `fetch failed`; its cause says why (ECONNREFUSED: the plugin is not enabled). */
function whyUnreachable(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  const detail = [cause?.message, cause?.code].find((text) => typeof text === 'string');
  return detail === undefined ? String(error) : `${String(error)}: ${detail}`;
}

async function management(method: string, path: string, body?: unknown): Promise<Response> {
  const { base, authorization } = managementEndpoint();
  let response: Response;
  try {
    response = await fetchManagement(`${base}/api${path}`, {
      method,
      headers: { authorization, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    throw new Error(
      `The RabbitMQ management API at ${base} is unreachable (${whyUnreachable(error)}). ` +
        'Tests create a virtual host per file through it: enable rabbitmq_management or set RABBITMQ_MANAGEMENT_URL.',
      { cause: error },
    );
  }
  if (!response.ok) {
    throw new Error(`RabbitMQ management ${method} ${path} answered ${response.status}`);
  }
  return response;
}

export interface QueueStats {
  ready: number;
  unacknowledged: number;
  consumers: number;
}

/** A queue's counters as the management API sees them (refreshed every few seconds by the broker). */
export async function queueStats(vhost: string, queue: string): Promise<QueueStats> {
  const response = await management(
    'GET',
    `/queues/${encodeURIComponent(vhost)}/${encodeURIComponent(queue)}`,
  );
  const stats = (await response.json()) as {
    messages_ready?: number;
    messages_unacknowledged?: number;
    consumers?: number;
  };
  return {
    ready: stats.messages_ready ?? 0,
    unacknowledged: stats.messages_unacknowledged ?? 0,
    consumers: stats.consumers ?? 0,
  };
}

/** A user of the test's own with every permission on one virtual host, removed by `dispose`. */
export async function createBrokerUser(vhost: string, name: string, password: string) {
  const user = encodeURIComponent(name);
  await management('PUT', `/users/${user}`, { password, tags: '' });
  await management('PUT', `/permissions/${encodeURIComponent(vhost)}/${user}`, {
    configure: '.*',
    write: '.*',
    read: '.*',
  });
  return { dispose: () => management('DELETE', `/users/${user}`).then(() => undefined) };
}

/**
 * A fresh virtual host, so a test file's exchanges and queues collide neither with a running
 * stack nor with other test files, and vanish with it.
 */
export async function createIsolatedBroker(label: string): Promise<IsolatedBroker> {
  const vhost = `test-${label}-${randomBytes(4).toString('hex')}`;
  const encoded = encodeURIComponent(vhost);
  await management('PUT', `/vhosts/${encoded}`);
  const { user } = managementEndpoint();
  await management('PUT', `/permissions/${encoded}/${encodeURIComponent(user)}`, {
    configure: '.*',
    write: '.*',
    read: '.*',
  });
  const url = new URL(testSettings.rabbitmqUrl);
  url.pathname = `/${encoded}`;
  return {
    url: url.toString(),
    vhost,
    dispose: () => management('DELETE', `/vhosts/${encoded}`).then(() => undefined),
  };
}

/**
 * Closes, from the broker's side, every connection to `vhost` whose client named itself
 * `connectionName` (the services name theirs after themselves): what the broker does to a
 * channel that passes consumer_timeout, its unacknowledged messages going back to their queues.
 */
export async function closeClientConnections(
  vhost: string,
  connectionName: string,
): Promise<number> {
  const response = await management('GET', `/vhosts/${encodeURIComponent(vhost)}/connections`);
  const connections = (await response.json()) as {
    name: string;
    client_properties?: { connection_name?: string };
  }[];
  const chosen = connections.filter(
    (connection) => connection.client_properties?.connection_name === connectionName,
  );
  for (const connection of chosen) {
    await management('DELETE', `/connections/${encodeURIComponent(connection.name)}`);
  }
  return chosen.length;
}
