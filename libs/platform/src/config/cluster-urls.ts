import { z } from 'zod';
import { urlProblem, urlStarts } from './url-problem';

/** The node URLs of a comma-separated `RABBITMQ_URL`, in the order given. */
export function brokerUrls(value: string): string[] {
  return value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}

/**
 * Nodes of one cluster share TLS or not, credentials and virtual host, as the client reads them
 * (`amqp://n1` and `amqp://n2/%2F` both name `/`): only host and port may differ. A plain node
 * among TLS ones would carry the password in clear after a failover.
 */
function sameClusterAccount(urls: URL[]): boolean {
  const account = (url: URL) =>
    [
      url.protocol,
      decodeURIComponent(url.username),
      decodeURIComponent(url.password),
      decodeURIComponent(url.pathname.slice(1)) || '/',
    ].join('\u0000');
  return urls.every((url) => account(url) === account(urls[0]));
}

/**
 * One URL, or a comma-separated list of the nodes of one cluster (the client connects to the
 * first that answers and fails over to the others). Kept as the string given.
 */
export const envUrlList = (protocols: string[]) =>
  z
    .string()
    .trim()
    .superRefine((value, context) => {
      const parts = value.split(',').map((part) => part.trim());
      const expected = `must be a URL starting with ${urlStarts(protocols)}, or a comma-separated list of them`;
      const problems = parts.map((part) => urlProblem(part, protocols, expected));
      const index = problems.findIndex((problem) => problem !== undefined);
      if (index >= 0) {
        const which = parts.length > 1 ? `node ${index + 1} of ${parts.length} ` : '';
        context.addIssue({ code: 'custom', message: `${which}${problems[index]}` });
      } else if (!sameClusterAccount(parts.map((part) => new URL(part)))) {
        context.addIssue({
          code: 'custom',
          message:
            'the nodes of one cluster must share protocol (amqp:// or amqps://), user, password and virtual host',
        });
      }
    });
