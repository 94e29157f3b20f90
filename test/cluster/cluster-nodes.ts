import { execFileSync } from 'node:child_process';

/**
 * The private cluster of `npm run test:cluster` (test/cluster/cluster.sh): its nodes' URLs,
 * its management API (asked of whichever node answers), and killing and restarting nodes.
 */
function list(variable: string): string[] {
  const value = process.env[variable];
  if (!value)
    throw new Error(`${variable} is not set: run the cluster spec with npm run test:cluster`);
  return value.split(',');
}

/** Every node's URL for `vhost`, node `first` (1–3) first: a service connects to the first that answers. */
export function amqpUrls(vhost: string, first = 1): string {
  const urls = list('CLUSTER_AMQP_URLS');
  return [...urls.slice(first - 1), ...urls.slice(0, first - 1)]
    .map((url) => `${url}/${encodeURIComponent(vhost)}`)
    .join(',');
}

/** c1@localhost → 1 */
export const nodeNumber = (node: string): number => Number(/^c(\d+)@/.exec(node)?.[1] ?? NaN);

function script(...args: string[]): void {
  const path = process.env.CLUSTER_SCRIPT ?? 'test/cluster/cluster.sh';
  execFileSync(path, args, { stdio: 'pipe', timeout: 180_000 });
}

export const killNode = (node: string): void => script('kill', String(nodeNumber(node)));
export const startNode = (node: string): void => script('start', String(nodeNumber(node)));

/** GET from the management API of the first node that answers. */
export async function management<T>(path: string): Promise<T> {
  let lastError: unknown;
  for (const base of list('CLUSTER_MANAGEMENT_URLS')) {
    const url = new URL(base);
    const authorization = `Basic ${Buffer.from(`${url.username}:${url.password}`).toString('base64')}`;
    try {
      const response = await fetch(`${url.origin}/api${path}`, {
        headers: { authorization },
        signal: AbortSignal.timeout(5_000),
      });
      if (response.ok) return (await response.json()) as T;
      lastError = new Error(`${url.origin}/api${path} answered ${response.status}`);
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

interface QueueInfo {
  name: string;
  type?: string;
  leader?: string;
  node?: string;
  messages?: number;
  members?: string[];
}

export async function queueLeader(vhost: string, queue: string): Promise<string> {
  const info = await management<QueueInfo>(`/queues/${encodeURIComponent(vhost)}/${queue}`);
  const leader = info.leader ?? info.node;
  if (!leader) throw new Error(`${queue} has no leader`);
  return leader;
}

export async function queues(vhost: string): Promise<QueueInfo[]> {
  return management<QueueInfo[]>(`/queues/${encodeURIComponent(vhost)}`);
}

/** The nodes a service's AMQP connections are on, one per process (connection_name = the service). */
export async function connectedNodes(vhost: string, service: string): Promise<string[]> {
  const connections =
    await management<
      { vhost: string; node: string; client_properties?: { connection_name?: string } }[]
    >('/connections');
  return connections
    .filter(
      (connection) =>
        connection.vhost === vhost && connection.client_properties?.connection_name === service,
    )
    .map((connection) => connection.node);
}

export const connectedNode = async (vhost: string, service: string): Promise<string | undefined> =>
  (await connectedNodes(vhost, service))[0];

export async function runningNodes(): Promise<string[]> {
  const nodes = await management<{ name: string; running: boolean }[]>('/nodes');
  return nodes.filter((node) => node.running).map((node) => node.name);
}
