import { RpcException } from '@nestjs/microservices';
import { MessageTooLargeError, PermanentMessageError } from '../errors';
import { ORDER_ID, request, setup } from './rpc-processor.fixture';

describe('RpcProcessor: failures', () => {
  it.each([
    ['breaks the request schema', { orderId: 'not-a-uuid' }, /^orderId: /],
    ['is not JSON', '{"orderId"', /^malformed JSON/],
  ])('answers INVALID_REQUEST when the request %s', async (_case, body, message) => {
    const { processor, invoke, sentReply } = setup();
    await expect(processor.process(request(body))).resolves.toBe('ack');
    expect(sentReply().payload).toEqual({
      error: { code: 'INVALID_REQUEST', message: expect.stringMatching(message) },
    });
    expect(invoke).not.toHaveBeenCalled();
  });

  it('answers INTERNAL without the error text or stack when the responder throws', async () => {
    const { processor, invoke, logger, sentReply } = setup();
    invoke.mockRejectedValueOnce(new Error('auth failed for postgres://pay:s3cr3t@db'));
    await expect(processor.process(request({ orderId: ORDER_ID }))).resolves.toBe('ack');
    const { payload } = sentReply();
    expect(payload).toEqual({
      error: { code: 'INTERNAL', message: 'The responder could not answer; see its logs' },
    });
    expect(JSON.stringify(payload)).not.toMatch(/s3cr3t|\bat\b/);
    expect(logger.error).toHaveBeenCalled();
  });

  it.each([
    ["a guard's refusal", new RpcException('Forbidden resource'), 'Forbidden resource'],
    ['an RpcException with an object', new RpcException({ why: 'closed' }), '{"why":"closed"}'],
    ['a PermanentMessageError', new PermanentMessageError('no such order'), 'no such order'],
  ])('answers REFUSED with the reason of %s, logged as a warning', async (_name, error, reason) => {
    const { processor, invoke, logger, sentReply } = setup();
    invoke.mockRejectedValueOnce(error);
    await expect(processor.process(request({ orderId: ORDER_ID }))).resolves.toBe('ack');
    expect(sentReply().payload).toEqual({ error: { code: 'REFUSED', message: reason } });
    expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining(reason));
    expect(logger.error).not.toHaveBeenCalled();
  });

  it('answers INTERNAL when the responder returns a reply breaking the contract', async () => {
    const { processor, invoke, sentReply } = setup();
    invoke.mockResolvedValueOnce({ status: 'MAYBE' });
    await processor.process(request({ orderId: ORDER_ID }));
    expect(sentReply().payload).toMatchObject({ error: { code: 'INTERNAL' } });
  });

  it('answers INTERNAL, at once, when the reply is too large to send', async () => {
    const { processor, reply, logger } = setup();
    reply.mockRejectedValueOnce(new MessageTooLargeError(5_000_000, 1024));
    await expect(processor.process(request({ orderId: ORDER_ID }))).resolves.toBe('ack');
    await new Promise((resolve) => setImmediate(resolve)); // the reply goes after the ack
    expect(reply).toHaveBeenCalledTimes(2);
    const [replyTo, properties, payload] = reply.mock.calls[1];
    expect(replyTo).toBe('amq.rabbitmq.reply-to.g1h2');
    expect(properties).toMatchObject({ correlationId: 'call-7' });
    expect(payload).toEqual({
      error: { code: 'INTERNAL', message: 'The reply is too large to send; see its logs' },
    });
    expect(logger.error).toHaveBeenCalledWith(expect.stringMatching(/above the 1024-byte limit/));
  });

  it('still acks the request when the reply cannot be sent', async () => {
    const { processor, reply, logger } = setup();
    reply.mockRejectedValueOnce(new Error('channel closed'));
    await expect(processor.process(request({ orderId: ORDER_ID }))).resolves.toBe('ack');
    expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('channel closed'));
  });
});
