/** A table to print on a terminal or write into Markdown. */
export interface Table {
  readonly headers: readonly string[];
  /** 'r' for numbers; 'l' otherwise. */
  readonly align: readonly ('l' | 'r')[];
  readonly rows: readonly (readonly string[])[];
}

/**
 * Plain-text rendering with columns padded to their widest cell, a rule
 * under the header, and two spaces between columns. (No table package
 * is installed; this is all the benchmark needs.)
 */
export function renderText(table: Table): string {
  const widths = table.headers.map((header, column) =>
    Math.max(
      width(header),
      ...table.rows.map((row) => width(row[column] ?? '')),
    ),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => pad(cell, widths[column], table.align[column]))
      .join('  ')
      .trimEnd();
  return [
    line(table.headers),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...table.rows.map(line),
  ].join('\n');
}

/** GitHub Markdown rendering; `|` inside cells is escaped. */
export function renderMarkdown(table: Table): string {
  const rule = table.align.map((a) => (a === 'r' ? '---:' : '---'));
  return [
    `| ${table.headers.map(escape).join(' | ')} |`,
    `| ${rule.join(' | ')} |`,
    ...table.rows.map((row) => `| ${row.map(escape).join(' | ')} |`),
  ].join('\n');
}

function escape(cell: string): string {
  return cell.replaceAll('|', '\\|');
}

/** Display width: the tables use only one-unit characters (`µ`, `·`, `…`). */
function width(text: string): number {
  return text.length;
}

function pad(text: string, size: number, align: 'l' | 'r' = 'l'): string {
  const fill = ' '.repeat(Math.max(0, size - width(text)));
  return align === 'r' ? fill + text : text + fill;
}
