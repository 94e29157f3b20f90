// The decoder as patches/amqplib+0.10.9.patch leaves it: no typings for this internal module.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { decodeFields } = require('amqplib/lib/codec') as {
  decodeFields: (table: Buffer) => Record<string, unknown>;
};

/** A field table of one header, `name`, holding empty arrays nested `depth` deep. */
function nestedArraysTable(name: string, depth: number): Buffer {
  const length = (value: number) => {
    const bytes = Buffer.alloc(4);
    bytes.writeUInt32BE(value);
    return bytes;
  };
  let value = Buffer.concat([Buffer.from('A'), length(0)]);
  for (let level = 1; level < depth; level += 1) {
    value = Buffer.concat([Buffer.from('A'), length(value.length), value]);
  }
  return Buffer.concat([Buffer.from([name.length]), Buffer.from(name), value]);
}

/** How many arrays deep `value` goes before something else. */
function arrayDepth(value: unknown): number {
  let depth = 0;
  for (let inner = value; Array.isArray(inner); inner = inner[0] as unknown) depth += 1;
  return depth;
}

describe('amqplib, patched to read deeply nested headers (patches/)', () => {
  it('reads a header as nested as x-death is', () => {
    expect(decodeFields(nestedArraysTable('x-nested', 3))).toEqual({ 'x-nested': [[[]]] });
  });

  it('keeps what lies below 64 levels as bytes instead of overflowing the stack', () => {
    const decoded = decodeFields(nestedArraysTable('x-deep', 10_000));
    expect(arrayDepth(decoded['x-deep'])).toBe(64);
    let innermost: unknown = decoded['x-deep'];
    while (Array.isArray(innermost)) innermost = innermost[0];
    expect(Buffer.isBuffer(innermost)).toBe(true);
  });
});
