/** pg reads these URLs itself, more leniently than `decodeURIComponent` (see urlProblem). */
const POSTGRES = ['postgres:', 'postgresql:'];
const AMQP = ['amqp:', 'amqps:'];

/**
 * Why `value` cannot serve as a connection URL of one of `protocols`; undefined when it can.
 * `new URL` is laxer than the clients that use the value: `amqp:/rabbit` parses with no host (the
 * client then connects to localhost, to a virtual host named after the intended address), and a
 * bare `%` in an AMQP or HTTP URL's user, password or virtual host parses, then fails the
 * management client's and the virtual host's `decodeURIComponent` with "URI malformed", naming no
 * setting. pg takes a bare `%` as itself, and a host in the query (its socket form).
 */
export function urlProblem(
  value: string,
  protocols: string[],
  expected = `must be a URL starting with ${urlStarts(protocols)}`,
): string | undefined {
  const url = parsed(value);
  if (!url || !protocols.includes(url.protocol)) return expected;
  if (!value.toLowerCase().startsWith(`${url.protocol}//`)) return expected;
  const postgres = POSTGRES.includes(url.protocol);
  // PostgreSQL's socket form names its directory in the query: postgres:///db?host=/run/postgresql
  if (url.hostname === '' && !(postgres && url.searchParams.has('host'))) {
    return `names no host: ${url.protocol}//user:password@host:port/…`;
  }
  // amqplib takes port 0 as none and connects to 5672; pg tries port 0, which nothing serves.
  if (url.port === '0') return 'names port 0: name the server’s port, or none for the default';
  if (postgres) return undefined;
  const encoded = [url.username, url.password, url.pathname, url.search];
  if (!encoded.every(decodes)) {
    return 'has a % that is not the start of an escape (%XX): write a literal % as %25';
  }
  // amqplib decodes the user and password a byte at a time (`unescape`): `ä` (%C3%A4) would
  // reach the broker as two Latin-1 characters and fail the login, which names no setting.
  if (AMQP.includes(url.protocol) && ![url.username, url.password].every(decodesToAscii)) {
    return 'has a user or password that is not ASCII: the AMQP client cannot send it';
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

function decodesToAscii(part: string): boolean {
  // eslint-disable-next-line no-control-regex -- the ASCII range, control characters included
  return /^[\x00-\x7f]*$/.test(decodeURIComponent(part));
}

function decodes(part: string): boolean {
  try {
    decodeURIComponent(part);
    return true;
  } catch {
    return false;
  }
}
