import { MessageContext, type MessageContextFields } from '@app/messaging';
import type { ConsumeMessage } from 'amqplib';

/** A MessageContext for a handler's unit test; `raw` is an empty delivery unless given. */
export function testMessageContext(
  fields: Omit<MessageContextFields, 'raw'> & { raw?: ConsumeMessage },
): MessageContext {
  const raw =
    fields.raw ?? ({ content: Buffer.alloc(0), fields: {}, properties: {} } as ConsumeMessage);
  return new MessageContext({ ...fields, raw });
}
