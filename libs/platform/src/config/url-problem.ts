/**
 * Why `value` cannot serve as a connection URL of one of `protocols`; undefined when it can.
 * `new URL` is laxer than the clients that use the value: `amqp:/rabbit` parses with no host (the
 * client then connects to localhost, to a virtual host named after the intended address), and a
 * bare `%` in a password parses, then makes the client's `decodeURIComponent` throw "URI
 * malformed" at connect time, naming no setting.
 */
export function urlProblem(
  value: string,
  protocols: string[],
  expected = `must be a URL starting with ${urlStarts(protocols)}`,
): string | undefined {
  const url = parsed(value);
  if (!url || !protocols.includes(url.protocol)) return expected;
  if (!value.toLowerCase().startsWith(`${url.protocol}//`)) return expected;
  // PostgreSQL's socket form names its directory in the query: postgres:///db?host=/run/postgresql
  if (url.hostname === '' && !url.searchParams.has('host')) {
    return `names no host: ${url.protocol}//user:password@host:port/…`;
  }
  const encoded = [url.username, url.password, url.pathname, url.search];
  if (!encoded.every(decodes)) {
    return 'has a % that is not the start of an escape (%XX): write a literal % as %25';
  }
  return undefined;
}

/** `amqp:// or amqps://`: how the URLs of `protocols` start. */
export function urlStarts(protocols: string[]): string {
  return protocols.map((protocol) => `${protocol}//`).join(' or ');
}

function parsed(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

function decodes(part: string): boolean {
  try {
    decodeURIComponent(part);
    return true;
  } catch {
    return false;
  }
}
