import { FixtureRecorded } from '@app/testing';
import fc from 'fast-check';
import type { Options } from 'amqplib';
import { gzipSync } from 'node:zlib';

/** What the fuzz publishes, on the fixture service's routing key. */
const TYPE = FixtureRecorded.type;

export interface FuzzedMessage {
  body: Buffer;
  properties: Options.Publish;
  /** The id the consumer will read, when it is one it accepts (and may thus be handled). */
  trackedId?: string;
  /** Where it must end, when the generator knows: a refusal it built in, or a well-formed one. */
  expected?: 'handled' | 'dead-lettered';
}

/** The behaviours the fixture's handler finishes (fail-once succeeds at its second attempt). */
const FINISHED = new Set(['succeed', 'fail-once']);

/** Refused whatever else the message holds: a foreign type, a content type or encoding. */
function builtInRefusal(properties: Options.Publish): boolean {
  const { type, contentType, contentEncoding } = properties;
  return (
    (typeof type === 'string' && type !== '' && type !== TYPE) ||
    contentType === 'text/plain' ||
    contentEncoding === 'br' ||
    contentEncoding === 'x-custom'
  );
}

const BEHAVIOURS = ['succeed', 'fail-once', 'fail-always', 'fail-permanently', 'database-error'];
const text = (maxLength: number) => fc.string({ unit: 'grapheme', maxLength });

/** Bodies: valid ones (some compressed or with a BOM), other JSON, bytes that are not UTF-8. */
const body = (maxMessageBytes: number) =>
  fc.oneof(
    fc
      .record({ value: text(40), behaviour: fc.constantFrom(...BEHAVIOURS) })
      .map((payload) => Buffer.from(JSON.stringify(payload))),
    fc.record({ value: text(40) }).map((payload) => gzipSync(JSON.stringify(payload))),
    fc
      .record({ value: text(40) })
      .map((payload) =>
        Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(payload))]),
      ),
    fc.jsonValue({ maxDepth: 3 }).map((value) => Buffer.from(JSON.stringify(value) ?? 'null')),
    fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)),
    fc.constant(
      Buffer.from([
        0x7b, 0x22, 0x76, 0x61, 0x6c, 0x75, 0x65, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d,
      ]),
    ),
    fc
      .integer({ min: maxMessageBytes, max: maxMessageBytes * 2 })
      .map((size) => Buffer.alloc(size, 0x20)),
  );

/** Header values: plain, over-long (the 16 kB limit), numbers, and forged bookkeeping. */
const headerValue = fc.oneof(
  text(60),
  fc.integer({ min: 2_000, max: 20_000 }).map((length) => 'h'.repeat(length)),
  fc.integer(),
  fc.uint8Array({ maxLength: 32 }).map((bytes) => Buffer.from(bytes)),
);
const headers = fc.dictionary(
  fc.oneof(
    fc.constantFrom('x-attempt', 'x-deferrals', 'x-correlation-id', 'x-causation-id'),
    text(20).filter((name) => name.length > 0),
  ),
  headerValue,
  { maxKeys: 3 },
);

const idShape = fc.constantFrom('property', 'header', 'none', 'too-long', 'bad-characters');

/** Anything at all on the fixture's routing key; ids unique per run so outcomes can be told apart. */
function hostileMessage(id: string, maxMessageBytes: number) {
  return fc
    .record({
      body: body(maxMessageBytes),
      headers,
      idShape,
      contentType: fc.constantFrom(
        undefined,
        'application/json',
        'application/json; charset=utf-8',
        'text/plain',
      ),
      contentEncoding: fc.constantFrom(undefined, 'gzip', 'identity', 'utf-8', 'br', 'x-custom'),
      type: fc.oneof(fc.constantFrom(undefined, TYPE, 'fixture.other'), text(30)),
    })
    .map(
      ({ body: content, headers: fuzzedHeaders, idShape: shape, ...properties }): FuzzedMessage => {
        const messageHeaders: Record<string, unknown> = { ...fuzzedHeaders };
        const options: Options.Publish = { ...properties, headers: messageHeaders };
        if (shape === 'property') options.messageId = id;
        if (shape === 'header') messageHeaders['x-message-id'] = id;
        if (shape === 'too-long') messageHeaders['x-message-id'] = `${id}-${'L'.repeat(200)}`;
        if (shape === 'bad-characters') options.messageId = `${id} ü`;
        const tracked = shape === 'property' || shape === 'header' ? id : undefined;
        const expected = builtInRefusal(options) ? 'dead-lettered' : undefined;
        return { body: content, properties: options, trackedId: tracked, expected };
      },
    );
}

/**
 * A message a well-behaved client might send, in any of the accepted forms (gzip, a BOM, the id
 * in a header, no type), with any handler behaviour: so handled outcomes are reached often too.
 */
function wellFormedMessage(id: string) {
  return fc
    .record({
      payload: fc.record({ value: text(40), behaviour: fc.constantFrom(...BEHAVIOURS) }),
      gzip: fc.boolean(),
      bom: fc.boolean(),
      idInHeader: fc.boolean(),
      headers: fc.dictionary(
        text(20).filter((name) => name.length > 0),
        text(40),
        { maxKeys: 3 },
      ),
      type: fc.constantFrom(undefined, TYPE),
      contentType: fc.constantFrom(undefined, 'application/json'),
    })
    .map(({ payload, gzip, bom, idInHeader, headers: extra, ...properties }): FuzzedMessage => {
      const json = Buffer.from(JSON.stringify(payload));
      const plain = bom ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), json]) : json;
      const messageHeaders: Record<string, unknown> = { ...extra };
      if (idInHeader) messageHeaders['x-message-id'] = id;
      return {
        body: gzip ? gzipSync(plain) : plain,
        properties: {
          ...properties,
          ...(idInHeader ? {} : { messageId: id }),
          ...(gzip ? { contentEncoding: 'gzip' } : {}),
          headers: messageHeaders,
        },
        trackedId: id,
        // PostgreSQL's text holds no NUL: the handler's insert fails for good on one.
        expected:
          FINISHED.has(payload.behaviour) && !payload.value.includes('\u0000')
            ? 'handled'
            : 'dead-lettered',
      };
    });
}

/** A message, published once or twice (a duplicate delivery, as at-least-once allows). */
export const fuzzedMessage = (id: string, maxMessageBytes: number) => {
  return fc.tuple(
    fc.oneof(hostileMessage(id, maxMessageBytes), wellFormedMessage(id)),
    fc.constantFrom(1, 1, 2),
  );
};
