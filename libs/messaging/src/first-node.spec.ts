import { createServer, type Server, type Socket } from 'node:net';
import { connectFirstNode, fetchFailure } from './first-node';

/** A node that takes the TCP connection and never answers the AMQP handshake. */
async function silentNode(): Promise<{ server: Server; port: number; sockets: Socket[] }> {
  const sockets: Socket[] = [];
  const server = createServer((socket) => sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return { server, port: address.port, sockets };
}

describe('connectFirstNode', () => {
  it('gives up on a node that does not answer in time, and names every node tried', async () => {
    const nodes = [await silentNode(), await silentNode()];
    try {
      const urls = nodes.map(({ port }) => `amqp://guest:guest@127.0.0.1:${port}`).join(',');
      const started = Date.now();
      await expect(connectFirstNode(urls, 200)).rejects.toThrow(
        `cannot connect to RabbitMQ at amqp://guest@127.0.0.1:${nodes[0].port}: connect ETIMEDOUT; ` +
          `at amqp://guest@127.0.0.1:${nodes[1].port}: connect ETIMEDOUT`,
      );
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      for (const { server, sockets } of nodes) {
        for (const socket of sockets) socket.destroy();
        server.close();
      }
    }
  });
});

describe('fetchFailure', () => {
  it('gives the reason fetch keeps in its cause, the first address of a host of several', () => {
    const refused = (address: string) =>
      Object.assign(new Error(`connect ECONNREFUSED ${address}`), { code: 'ECONNREFUSED' });
    const bothAddresses = new AggregateError([refused('::1:15672'), refused('127.0.0.1:15672')]);
    expect(fetchFailure(new TypeError('fetch failed', { cause: bothAddresses }))).toBe(
      'connect ECONNREFUSED ::1:15672',
    );
    expect(fetchFailure(new TypeError('fetch failed', { cause: refused('10.0.0.9:15672') }))).toBe(
      'connect ECONNREFUSED 10.0.0.9:15672',
    );
    expect(fetchFailure(new DOMException('The operation timed out.', 'TimeoutError'))).toContain(
      'The operation timed out.',
    );
  });
});
