/** Plain-text tables for bench output (also pasted into the README as Markdown). */

export type Cell = string | number | null | undefined;

function show(cell: Cell): string {
  if (cell === null || cell === undefined || (typeof cell === 'number' && Number.isNaN(cell))) {
    return '–';
  }
  return typeof cell === 'number' ? String(cell) : cell;
}

/** A Markdown table with padded columns, readable in a terminal too. */
export function markdownTable(header: readonly string[], rows: readonly Cell[][]): string {
  const text = [header.map(show), ...rows.map((r) => r.map(show))];
  const widths = header.map((_, i) => Math.max(...text.map((r) => (r[i] ?? '').length), 3));
  const line = (r: readonly string[]): string =>
    `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(text[0]!), line(widths.map((w) => '-'.repeat(w))), ...text.slice(1).map(line)].join(
    '\n',
  );
}
