import { flatten, formatTable, truncate } from './table.format';

describe('formatTable', () => {
  it('aligns columns under a header row, numbers to the right', () => {
    const lines = formatTable(
      [{ header: 'QUEUE' }, { header: 'COUNT', align: 'right' }],
      [
        ['payment.order-created.dlq', '3'],
        ['a.dlq', '12'],
      ],
    );
    expect(lines).toEqual([
      'QUEUE                      COUNT',
      'payment.order-created.dlq      3',
      'a.dlq                         12',
    ]);
  });

  it('cuts the last column so the table fits the width', () => {
    const error = 'x'.repeat(200);
    const lines = formatTable([{ header: 'ID' }, { header: 'ERROR' }], [['0123456789', error]], {
      width: 60,
    });
    expect(lines[1]).toHaveLength(60);
    expect(lines[1].endsWith('x…')).toBe(true);
    expect(lines.every((line) => line.length <= 60)).toBe(true);
  });

  it("measures a cell's terminal controls as the escapes printed for them", () => {
    const error = `\u001b[2J${'x'.repeat(200)}`;
    const lines = formatTable([{ header: 'ID' }, { header: 'ERROR' }], [['0123456789', error]], {
      width: 60,
    });
    expect(lines[1]).toHaveLength(60);
    expect(lines[1]).toContain('0123456789  \\u001b[2Jxxx');
  });

  it('keeps a readable minimum for the last column when the others take the width', () => {
    const lines = formatTable(
      [{ header: 'A' }, { header: 'ERROR' }],
      [['a'.repeat(50), 'e'.repeat(100)]],
      { width: 40, minLastWidth: 10 },
    );
    expect(lines[1]).toBe(`${'a'.repeat(50)}  ${'e'.repeat(9)}…`);
  });

  it('caps a column at its maxWidth and flattens line breaks', () => {
    const lines = formatTable(
      [{ header: 'TYPE', maxWidth: 6 }, { header: 'E' }],
      [['order.created', 'line one\n  line two']],
    );
    expect(lines).toEqual(['TYPE    E', 'order…  line one line two']);
  });

  it('prints only the header for no rows, nothing for no columns', () => {
    expect(formatTable([{ header: 'A' }, { header: 'B' }], [])).toEqual(['A  B']);
    expect(formatTable([], [['x']])).toEqual([]);
  });
});

describe('truncate and flatten', () => {
  it('leaves short text alone and marks cut text', () => {
    expect(truncate('abc', 3)).toBe('abc');
    expect(truncate('abcd', 3)).toBe('ab…');
    expect(truncate('abcd', 1)).toBe('…');
  });

  it('turns whitespace runs into single spaces', () => {
    expect(flatten(' a\tb\r\n c ')).toBe('a b c');
  });
});
