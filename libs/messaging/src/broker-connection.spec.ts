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

  it('is unreachable once an attempt to reconnect has failed, not at the first break', () => {
    managed.connected = false;
    managed.emit('disconnect', { err: new Error('closed') });
    expect(broker.isUnreachable).toBe(false);

    managed.emit('connectFailed', { err: new Error('connect ECONNREFUSED'), url: 'amqp://rabbit' });
    expect(broker.isUnreachable).toBe(true);

    managed.connected = true;
    managed.emit('connect');
    expect(broker.isUnreachable).toBe(false);
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

  describe('a connection attempt that fails', () => {
    const refused = new Error('Handshake terminated by server: 403 (ACCESS-REFUSED)');
    const failed = (err: Error, url = 'amqp://app:secret@rabbit:5672/shop') =>
      managed.emit('connectFailed', { err, url });

    it('says why and where, without the password', () => {
      failed(refused);
      expect(warn).toHaveBeenCalledWith(
        'Cannot connect to RabbitMQ at amqp://app@rabbit:5672/shop: ' +
          'Handshake terminated by server: 403 (ACCESS-REFUSED); trying again',
      );
    });

    it('says it once while the reason stays, again when it changes or 30 s have passed', () => {
      const now = jest.spyOn(Date, 'now').mockReturnValue(1_000_000);
      failed(refused);
      failed(refused);
      expect(warn).toHaveBeenCalledTimes(1);
      failed(new Error('connect ECONNREFUSED 10.0.0.7:5672'));
      expect(warn).toHaveBeenCalledTimes(2);
      failed(refused);
      now.mockReturnValue(1_029_999);
      failed(refused);
      expect(warn).toHaveBeenCalledTimes(3);
      now.mockReturnValue(1_030_000);
      failed(refused);
      expect(warn).toHaveBeenCalledTimes(4);
    });

    it('says it again after a connection that worked', () => {
      failed(refused);
      managed.emit('connect', {});
      failed(refused);
      expect(warn).toHaveBeenCalledTimes(2);
    });
  });
});
