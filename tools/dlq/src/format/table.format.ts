import { printable } from '@app/correlation';

export interface Column {
  header: string;
  /** Longer cells are cut with an ellipsis. */
  maxWidth?: number;
  align?: 'left' | 'right';
}

export interface TableOptions {
  /** The width the table aims for; the last column shrinks to fit it, down to `minLastWidth`. */
  width?: number;
  minLastWidth?: number;
}

const GAP = '  ';
export const DEFAULT_TABLE_WIDTH = 120;

/**
 * One line per cell: a newline or tab in an error text would break the rows. Terminal controls
 * are escaped here, before the columns are measured, so the escapes are what is cut to width.
 */
export function flatten(text: string): string {
  return printable(text.replace(/\s+/g, ' ').trim());
}

export function truncate(text: string, width: number): string {
  if (text.length <= width) return text;
  return width <= 1 ? '…'.slice(0, width) : `${text.slice(0, width - 1)}…`;
}

function columnWidths(columns: Column[], rows: string[][], options: TableOptions): number[] {
  const natural = columns.map((column, index) =>
    Math.min(
      column.maxWidth ?? Infinity,
      Math.max(column.header.length, ...rows.map((row) => (row[index] ?? '').length)),
    ),
  );
  const last = natural.length - 1;
  const others = natural.slice(0, last).reduce((sum, width) => sum + width + GAP.length, 0);
  const room = (options.width ?? DEFAULT_TABLE_WIDTH) - others;
  const floor = Math.min(natural[last], options.minLastWidth ?? 20);
  natural[last] = Math.max(floor, Math.min(natural[last], room));
  return natural;
}

function renderRow(cells: string[], columns: Column[], widths: number[]): string {
  return cells
    .map((cell, index) => {
      const fitted = truncate(cell, widths[index]);
      return columns[index].align === 'right'
        ? fitted.padStart(widths[index])
        : fitted.padEnd(widths[index]);
    })
    .join(GAP)
    .trimEnd();
}

/** Aligned columns under a header row, fitting `width` by cutting the last column. */
export function formatTable(
  columns: Column[],
  rows: string[][],
  options: TableOptions = {},
): string[] {
  if (columns.length === 0) return [];
  const cells = rows.map((row) => columns.map((_, index) => flatten(row[index] ?? '')));
  const widths = columnWidths(columns, cells, options);
  return [
    renderRow(
      columns.map((column) => column.header),
      columns,
      widths,
    ),
    ...cells.map((row) => renderRow(row, columns, widths)),
  ];
}
