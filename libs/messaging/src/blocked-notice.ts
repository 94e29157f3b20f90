import type { EventEmitter } from 'node:events';

/**
 * For the operator's tools, which publish and wait for each confirm: RabbitMQ blocks a publishing
 * connection while it is low on memory or disk, and the wait would look like a hang. Tells `line`
 * when the broker blocks the connection and when it lets it go again.
 */
export function tellWhenBlocked(
  connection: Pick<EventEmitter, 'on'>,
  line: (text: string) => void,
  stays: string,
): void {
  connection.on('blocked', (reason: unknown) =>
    line(
      `RabbitMQ is blocking publishes on this connection (${String(reason)}): waiting until the alarm clears; Ctrl-C stops here, and ${stays}`,
    ),
  );
  connection.on('unblocked', () => line('RabbitMQ unblocked the connection: going on'));
}
