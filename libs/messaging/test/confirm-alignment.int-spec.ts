import { type IsolatedBroker, createIsolatedBroker } from '@app/testing';
import { Logger } from '@nestjs/common';
import amqp, { type AmqpConnectionManager } from 'amqp-connection-manager';
import { type ChannelModel, type ConfirmChannel, connect } from 'amqplib';
import { ResilientChannel } from '../src/channels/resilient-channel';
import { keepConfirmsAligned } from '../src/channels/confirm-alignment';

const ACCEPTING = 'alignment.accepting';
/** Holds nothing: the broker nacks every publish to it (reject-publish), so its confirm is a nack. */
const REFUSING = 'alignment.refusing';

/** amqplib throws while encoding this, after the confirm channel has queued its callback. */
const UNENCODABLE = { messageId: 'B'.repeat(256) };

async function declareQueues(channel: ConfirmChannel): Promise<void> {
  await channel.assertQueue(ACCEPTING, { durable: false });
  await channel.assertQueue(REFUSING, {
    durable: false,
    arguments: { 'x-max-length': 0, 'x-overflow': 'reject-publish' },
  });
  await channel.purgeQueue(ACCEPTING);
}

/**
 * Interleaves publishes that fail while encoding with good ones and with ones the broker nacks:
 * each must be settled by its own confirm. Without the alignment, the good publish after a
 * failing one would take the failed one's confirm slot and every later outcome would shift.
 */
describe('Confirm channels stay aligned when a publish throws before the wire', () => {
  let broker: IsolatedBroker;

  beforeAll(async () => {
    broker = await createIsolatedBroker('confirms');
  });

  afterAll(async () => {
    await broker?.dispose();
  });

  describe('a managed channel (publisher, failure router, RPC)', () => {
    let connection: AmqpConnectionManager;
    let channel: ResilientChannel;

    beforeAll(async () => {
      connection = amqp.connect([broker.url]);
      channel = new ResilientChannel(connection, {
        name: 'alignment',
        confirm: true,
        setup: (raw) => declareQueues(raw as ConfirmChannel),
        logger: new Logger('alignment'),
      });
      channel.open();
      await channel.current.waitForConnect();
    });

    afterAll(async () => {
      await channel?.close();
      await connection?.close();
    });

    const send = (queue: string, id: string, properties: object = {}) =>
      channel.current.publish('', queue, Buffer.from(id), {
        messageId: id,
        timeout: 5_000,
        ...properties,
      });

    it('fails the unencodable publish alone and settles each later one by its own confirm', async () => {
      await expect(send(ACCEPTING, 'bad-1', UNENCODABLE)).rejects.toThrow(/messageId/);
      await expect(send(ACCEPTING, 'good-1')).resolves.toBe(true);
      await expect(send(REFUSING, 'nacked-1')).rejects.toThrow(/nack/i);
      await expect(send(ACCEPTING, 'bad-2', UNENCODABLE)).rejects.toThrow(/messageId/);
      await expect(send(REFUSING, 'nacked-2')).rejects.toThrow(/nack/i);
      await expect(send(ACCEPTING, 'good-2')).resolves.toBe(true);
    });

    it('keeps them aligned when they are in flight together', async () => {
      const outcomes = await Promise.allSettled([
        send(ACCEPTING, 'bad-3', UNENCODABLE),
        send(ACCEPTING, 'good-3'),
        send(REFUSING, 'nacked-3'),
        send(ACCEPTING, 'good-4'),
      ]);
      expect(outcomes.map((outcome) => outcome.status)).toEqual([
        'rejected',
        'fulfilled',
        'rejected',
        'fulfilled',
      ]);
    });
  });

  describe('a plain amqplib confirm channel (the dlq tool)', () => {
    let connection: ChannelModel;
    let channel: ConfirmChannel;

    beforeAll(async () => {
      connection = await connect(broker.url);
      channel = keepConfirmsAligned(await connection.createConfirmChannel());
      await declareQueues(channel);
    });

    afterAll(async () => {
      await connection?.close();
    });

    const send = (queue: string, id: string, properties: object = {}) =>
      new Promise<void>((resolve, reject) => {
        channel.publish('', queue, Buffer.from(id), { messageId: id, ...properties }, (error) =>
          error ? reject(error instanceof Error ? error : new Error('nacked')) : resolve(),
        );
      });

    it('fails the unencodable publish through its callback and keeps later confirms its own', async () => {
      await expect(send(ACCEPTING, 'bad-1', UNENCODABLE)).rejects.toThrow(/messageId/);
      await expect(send(REFUSING, 'nacked-1')).rejects.toThrow();
      await expect(send(ACCEPTING, 'good-1')).resolves.toBeUndefined();
      const counted = await channel.checkQueue(ACCEPTING);
      expect(counted.messageCount).toBe(1);
    });
  });
});
