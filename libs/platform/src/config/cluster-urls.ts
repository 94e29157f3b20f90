import { z } from 'zod';

/** The node URLs of a comma-separated `RABBITMQ_URL`, in the order given. */
export function brokerUrls(value: string): string[] {
  return value
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}

function parse(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

/** Nodes of one cluster share virtual host and credentials; only host and port may differ. */
function sameClusterAccount(urls: URL[]): boolean {
  const account = (url: URL) => [url.username, url.password, url.pathname || '/'].join('\u0000');
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
      const urls = value.split(',').map((part) => parse(part.trim()));
      const valid = urls.every((url) => url && protocols.includes(url.protocol));
      if (!valid) {
        const starts = protocols.map((protocol) => `${protocol}//`).join(' or ');
        context.addIssue({
          code: 'custom',
          message: `must be a URL starting with ${starts}, or a comma-separated list of them`,
        });
      } else if (!sameClusterAccount(urls as URL[])) {
        context.addIssue({
          code: 'custom',
          message: 'the nodes of one cluster must share user, password and virtual host',
        });
      }
    });
