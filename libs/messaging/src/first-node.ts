import { brokerUrls, errorMessage } from '@app/platform';
import { connect, type ChannelModel } from 'amqplib';

/** The broker address without its password, for messages. */
export function safeAddress(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = '';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return '(unparseable RABBITMQ_URL)';
  }
}

/**
 * Why a fetch failed: it says "fetch failed" and keeps the reason (refused, unknown host) in
 * `cause`, an empty AggregateError for a host of several addresses.
 */
export function fetchFailure(error: unknown): string {
  return connectionFailure(
    error instanceof Error && error.cause !== undefined ? error.cause : error,
  );
}

/** Why a connection attempt failed, in the broker's words where amqplib keeps them. */
export function connectionFailure(error: unknown): string {
  // A host with several addresses (localhost: ::1 and 127.0.0.1) fails with an empty AggregateError.
  if (error instanceof AggregateError && error.errors.length > 0) {
    return connectionFailure(error.errors[0]);
  }
  const text = errorMessage(error)
    .replace(/\s*\n\s*/g, ' ')
    .trim();
  // amqplib drops the broker's reason when it refuses to open the virtual host.
  if (text.includes('got <ConnectionClose')) {
    return `the broker closed the connection (${text}); does the virtual host exist, and may this user use it?`;
  }
  return text || ((error as { code?: string }).code ?? 'unknown error');
}

/**
 * How long a connection attempt to one node may take. Without it a node whose address drops
 * packets (a lost Kubernetes node whose pod address still resolves) holds the attempt for the
 * operating system's TCP timeout, minutes, before the next node of the list is tried.
 */
export const CONNECT_TIMEOUT_MS = 5_000;

/**
 * For command-line tools: one plain amqplib connection to the first node of `urls` (one URL, or
 * a cluster's comma-separated list) that answers; the error names every node tried.
 */
export async function connectFirstNode(
  urls: string,
  timeoutMs = CONNECT_TIMEOUT_MS,
): Promise<{ connection: ChannelModel; address: string }> {
  const failures: string[] = [];
  for (const url of brokerUrls(urls)) {
    try {
      const connection = await connect(url, { timeout: timeoutMs });
      return { connection, address: safeAddress(url) };
    } catch (error) {
      failures.push(`at ${safeAddress(url)}: ${connectionFailure(error)}`);
    }
  }
  throw new Error(`cannot connect to RabbitMQ ${failures.join('; ')}`);
}
