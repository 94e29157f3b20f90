/** How the socket failed under a request that got no answer: the request was not taken. */
const SOCKET_FAILURES = new Set(['UND_ERR_SOCKET', 'EPIPE', 'ECONNRESET']);

/** Read by shape, since fetch's errors may come from another realm than the test's (jest's). */
function closedBeforeAnswer(error: unknown): boolean {
  const code = (error as { cause?: { code?: unknown } } | null)?.cause?.code;
  return typeof code === 'string' && SOCKET_FAILURES.has(code);
}

const ATTEMPTS = 3;

/**
 * The management server now and then closes a connection before answering (a kept-alive one
 * as it expires, and under load a new one too: "other side closed", EPIPE): the request was
 * not taken. The tests' requests are all idempotent (GET, PUT, DELETE), so it goes again, on
 * a new connection, up to three times in all.
 */
export async function fetchManagement(url: string, init: RequestInit): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetch(url, init);
    } catch (error) {
      if (attempt >= ATTEMPTS || !closedBeforeAnswer(error)) throw error;
    }
  }
}
