import type { AmqpConnection } from '@golevelup/nestjs-rabbitmq';
import { Logger } from '@nestjs/common';
import { EventEmitter } from 'node:events';
import { BrokerConnection } from './broker-connection';

/** The managed connection's events, and whether it is connected, driven by the test. */
class ManagedConnection extends EventEmitter {
  connected = true;
  isConnected = () => this.connected;
}

describe('BrokerConnection', () => {
  let managed: ManagedConnection;
  let broker: BrokerConnection;
  let warn: jest.SpyInstance;
  let log: jest.SpyInstance;

  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    managed = new ManagedConnection();
    broker = new BrokerConnection({ managedConnection: managed } as unknown as AmqpConnection);
    broker.onModuleInit();
  });

  afterEach(() => jest.restoreAllMocks());

  it('can publish while connected and not blocked', () => {
    expect([broker.isConnected, broker.canPublish, broker.blockedReason]).toEqual([
      true,
      true,
      undefined,
    ]);
    managed.connected = false;
    expect([broker.isConnected, broker.canPublish]).toEqual([false, false]);
  });

  it('cannot while the broker blocks it, says why, and says when it is unblocked', () => {
    managed.emit('blocked', { reason: 'low on memory' });
    expect([broker.isConnected, broker.canPublish, broker.blockedReason]).toEqual([
      true,
      false,
      'low on memory',
    ]);
    expect(warn).toHaveBeenCalledWith(
      expect.stringContaining('RabbitMQ blocked this connection (low on memory)'),
    );

    managed.emit('unblocked');
    expect([broker.canPublish, broker.blockedReason]).toEqual([true, undefined]);
    expect(log).toHaveBeenCalledWith(
      expect.stringMatching(/^The connection is no longer blocked after \d+\.\d s: the broker/),
    );
  });

  it('takes a closed connection as unblocked: the next one starts so', () => {
    managed.emit('blocked', { reason: 'low on disk' });
    managed.emit('disconnect', { err: new Error('closed') });
    managed.connected = true;
    expect([broker.canPublish, broker.blockedReason]).toEqual([true, undefined]);
    expect(log).toHaveBeenCalledWith(expect.stringContaining('it was closed'));
  });

  it('tells its listeners each time a publish becomes possible again: connected, or unblocked', () => {
    const listener = jest.fn();
    broker.onPublishable(listener);
    managed.emit('blocked', { reason: 'low on memory' });
    managed.emit('disconnect', { err: new Error('closed') });
    expect(listener).not.toHaveBeenCalled();
    managed.emit('connect', {});
    expect(listener).toHaveBeenCalledTimes(1);
    managed.emit('blocked', { reason: 'low on memory' });
    managed.emit('unblocked');
    expect(listener).toHaveBeenCalledTimes(2);
  });

  it('logs nothing for a disconnect or an unblock when it was not blocked', () => {
    managed.emit('disconnect', { err: new Error('closed') });
    managed.emit('unblocked');
    expect(log).not.toHaveBeenCalled();
    expect(warn).not.toHaveBeenCalled();
  });
});
