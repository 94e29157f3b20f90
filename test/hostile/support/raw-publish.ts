import type { Channel } from 'amqplib';

/**
 * Publishes a message whose header table amqplib cannot encode: its encoder writes tables into a
 * 64 KiB scratch buffer, and a larger one reaches the broker corrupted (RabbitMQ closes the
 * connection with 541 INTERNAL_ERROR); it recurses into each nested array, and thousands of them
 * overflow the stack. Another client can send either, so the test must too: the
 * three frames of a publish (AMQP 0-9-1 §4.2.6) are written here, straight onto the socket of an
 * open amqplib connection, on a channel of that connection; amqplib only carries the bytes. The
 * frame must fit the negotiated frame_max (RabbitMQ's default is 128 KiB).
 */
export interface RawMessage {
  exchange: string;
  routingKey: string;
  body: Buffer;
  messageId?: string;
  /** Bytes are sent as they are: a short string need not be UTF-8 on the wire. */
  type?: string | Buffer;
  headers: Record<string, RawHeaderValue>;
}

/**
 * A long string; empty arrays nested `nestedArrays` deep (amqplib's encoder recurses too); a
 * double; or a table of such values, with any keys (amqplib's encoder reads some as its own).
 */
export type RawHeaderValue =
  | string
  | { nestedArrays: number }
  | { double: number }
  | { table: Record<string, RawHeaderValue> };

const FRAME_METHOD = 1;
const FRAME_HEADER = 2;
const FRAME_BODY = 3;
const FRAME_END = 0xce;
const BASIC_CLASS = 60;
const BASIC_PUBLISH = 40;
const FLAG_CONTENT_TYPE = 1 << 15;
const FLAG_HEADERS = 1 << 13;
const FLAG_DELIVERY_MODE = 1 << 12;
const FLAG_MESSAGE_ID = 1 << 7;
const FLAG_TYPE = 1 << 5;

function shortString(text: string | Buffer): Buffer {
  const bytes = Buffer.from(text);
  if (bytes.length > 255) {
    throw new Error(`"${bytes.subarray(0, 20).toString()}…" is too long for a short string`);
  }
  return Buffer.concat([Buffer.from([bytes.length]), bytes]);
}

function uint(value: number, bytes: 2 | 4 | 8): Buffer {
  const buffer = Buffer.alloc(bytes);
  if (bytes === 2) buffer.writeUInt16BE(value);
  else if (bytes === 4) buffer.writeUInt32BE(value);
  else buffer.writeBigUInt64BE(BigInt(value));
  return buffer;
}

function fieldValue(value: RawHeaderValue): Buffer {
  if (typeof value === 'string') {
    const bytes = Buffer.from(value);
    return Buffer.concat([Buffer.from('S'), uint(bytes.length, 4), bytes]);
  }
  if ('double' in value) {
    const bytes = Buffer.alloc(8);
    bytes.writeDoubleBE(value.double);
    return Buffer.concat([Buffer.from('d'), bytes]);
  }
  if ('table' in value) return Buffer.concat([Buffer.from('F'), table(value.table)]);
  let array = Buffer.concat([Buffer.from('A'), uint(0, 4)]);
  for (let level = 1; level < value.nestedArrays; level += 1) {
    array = Buffer.concat([Buffer.from('A'), uint(array.length, 4), array]);
  }
  return array;
}

/** A field table of the values above. */
function table(entries: Record<string, RawHeaderValue>): Buffer {
  const fields = Object.entries(entries).map(([name, value]) =>
    Buffer.concat([shortString(name), fieldValue(value)]),
  );
  const content = Buffer.concat(fields);
  return Buffer.concat([uint(content.length, 4), content]);
}

function frame(type: number, channel: number, payload: Buffer): Buffer {
  return Buffer.concat([
    Buffer.from([type]),
    uint(channel, 2),
    uint(payload.length, 4),
    payload,
    Buffer.from([FRAME_END]),
  ]);
}

function headerPayload(message: RawMessage): Buffer {
  let flags = FLAG_CONTENT_TYPE | FLAG_HEADERS | FLAG_DELIVERY_MODE;
  const properties = [shortString('application/json'), table(message.headers), Buffer.from([2])];
  if (message.messageId !== undefined) {
    flags |= FLAG_MESSAGE_ID;
    properties.push(shortString(message.messageId));
  }
  if (message.type !== undefined) {
    flags |= FLAG_TYPE;
    properties.push(shortString(message.type));
  }
  const head = [uint(BASIC_CLASS, 2), uint(0, 2), uint(message.body.length, 8), uint(flags, 2)];
  return Buffer.concat([...head, ...properties]);
}

/** Writes the publish on `channel`, then waits for a round trip on that channel. */
export async function publishRaw(channel: Channel, message: RawMessage): Promise<void> {
  const { ch, connection } = channel as unknown as {
    ch: number;
    connection: { stream: NodeJS.WritableStream };
  };
  const method = Buffer.concat([
    uint(BASIC_CLASS, 2),
    uint(BASIC_PUBLISH, 2),
    uint(0, 2),
    shortString(message.exchange),
    shortString(message.routingKey),
    Buffer.from([0]),
  ]);
  connection.stream.write(
    Buffer.concat([
      frame(FRAME_METHOD, ch, method),
      frame(FRAME_HEADER, ch, headerPayload(message)),
      frame(FRAME_BODY, ch, message.body),
    ]),
  );
  // A channel handles its frames in order: once this answers, the publish was taken (or the
  // broker has closed the channel, which fails this call).
  await channel.checkExchange(message.exchange);
}
