import { EventEmitter } from 'node:events';
import { tellWhenBlocked } from './blocked-notice';

describe('tellWhenBlocked', () => {
  it('says when the broker blocks the connection, why, and when it lets it go', () => {
    const connection = new EventEmitter();
    const lines: string[] = [];
    tellWhenBlocked(connection, (text) => lines.push(text), 'what was not replayed stays');

    connection.emit('blocked', 'low on disk');
    connection.emit('unblocked');

    expect(lines).toEqual([
      'RabbitMQ is blocking publishes on this connection (low on disk): waiting until the alarm clears; Ctrl-C stops here, and what was not replayed stays',
      'RabbitMQ unblocked the connection: going on',
    ]);
  });
});
