import type { Logger } from '@nestjs/common';
import type { AmqpConnectionManager } from 'amqp-connection-manager';
import type { Channel } from 'amqplib';
import { EventEmitter } from 'node:events';
import { ResilientChannel } from './resilient-channel';

class FakeWrapper extends EventEmitter {
  close = jest.fn(() => Promise.resolve());
}

function setup(connected: boolean) {
  const wrappers: FakeWrapper[] = [];
  const setups: ((channel: Channel) => Promise<void>)[] = [];
  const connection = {
    createChannel: jest.fn((options: { setup: (channel: Channel) => Promise<void> }) => {
      setups.push(options.setup);
      const wrapper = new FakeWrapper();
      wrappers.push(wrapper);
      return wrapper;
    }),
    isConnected: jest.fn(() => connected),
  };
  const userSetup = jest.fn((_channel: Channel) => Promise.resolve());
  const logger = { warn: jest.fn(), error: jest.fn() } as unknown as Logger;
  const ready = jest.fn();
  const resilient = new ResilientChannel(connection as unknown as AmqpConnectionManager, {
    name: 'consumer:q',
    confirm: false,
    setup: userSetup,
    ready,
    logger,
  });
  resilient.open();
  const attach = async (index: number) => {
    const channel = new EventEmitter();
    await setups[index](channel as unknown as Channel).catch(() => undefined);
    return channel;
  };
  return { resilient, wrappers, attach, userSetup, connection, ready };
}

describe('ResilientChannel', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('runs the setup on every channel the wrapper opens', async () => {
    const { attach, userSetup } = setup(true);
    const channel = await attach(0);
    expect(userSetup).toHaveBeenCalledWith(channel);
  });

  it('is ready once a channel is open and set up, and not while its setup runs or after it closed', async () => {
    const { resilient, attach, userSetup } = setup(true);
    expect(resilient.isReady).toBe(false);
    let finishSetup = () => {};
    userSetup.mockImplementationOnce(() => new Promise<void>((done) => (finishSetup = done)));
    const attaching = attach(0);
    expect(resilient.isReady).toBe(false);
    finishSetup();
    const channel = await attaching;
    expect(resilient.isReady).toBe(true);
    channel.emit('close');
    expect(resilient.isReady).toBe(false);
  });

  it('says it is ready each time a channel has been set up, and not when a setup fails', async () => {
    const { attach, userSetup, ready } = setup(true);
    userSetup.mockRejectedValueOnce(new Error('NOT_FOUND - no queue'));
    await attach(0);
    expect(ready).not.toHaveBeenCalled();
    await attach(0);
    expect(ready).toHaveBeenCalledTimes(1);
    await attach(0);
    expect(ready).toHaveBeenCalledTimes(2);
  });

  it('opens a new wrapper when the broker closed the channel but the connection is up', async () => {
    const { attach, wrappers, resilient } = setup(true);
    const channel = await attach(0);
    channel.emit('close');
    await jest.advanceTimersByTimeAsync(1_000);
    expect(wrappers).toHaveLength(2);
    expect(wrappers[0].close).toHaveBeenCalled();
    expect(resilient.current).toBe(wrappers[1]);
  });

  it('leaves recovery to the wrapper when the whole connection went away', async () => {
    const { attach, wrappers } = setup(false);
    (await attach(0)).emit('close');
    await jest.advanceTimersByTimeAsync(60_000);
    expect(wrappers).toHaveLength(1);
  });

  it('does nothing when the wrapper reopened a channel by itself in the meantime', async () => {
    const { attach, wrappers } = setup(true);
    (await attach(0)).emit('close');
    await attach(0);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(wrappers).toHaveLength(1);
  });

  it('waits longer each time a setup fails, so a refused declaration cannot spin', async () => {
    const { attach, wrappers, userSetup } = setup(true);
    (await attach(0)).emit('close');
    await jest.advanceTimersByTimeAsync(1_000);
    expect(wrappers).toHaveLength(2);
    userSetup.mockRejectedValueOnce(new Error('PRECONDITION_FAILED'));
    (await attach(1)).emit('close');
    await jest.advanceTimersByTimeAsync(1_000);
    expect(wrappers).toHaveLength(2);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(wrappers).toHaveLength(3);
  });

  it('stays closed once closed', async () => {
    const { attach, wrappers, resilient } = setup(true);
    const channel = await attach(0);
    await resilient.close();
    channel.emit('close');
    await jest.advanceTimersByTimeAsync(60_000);
    expect(wrappers).toHaveLength(1);
  });
});
