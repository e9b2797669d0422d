import { escapeHtml } from './escape-html.ts';

export interface Column {
  readonly label: string;
  /** Right-aligned, tabular figures. */
  readonly num?: boolean;
  /** Long free text (names): may wrap anywhere. */
  readonly name?: boolean;
}

export interface Row {
  /** Cell contents as HTML: callers escape text with escapeHtml (or build markup from escaped parts). */
  readonly cells: readonly string[];
  readonly className?: string;
  /** Per-cell extra class (e.g. 'over' for a figure above its limit). */
  readonly cellClass?: readonly (string | undefined)[];
}

/** A table in a horizontally scrolling wrapper, so wide tables never widen the page on a phone. */
export function htmlTable(columns: readonly Column[], rows: readonly Row[], testid?: string): string {
  const cls = (c: Column, extra?: string): string => {
    const names = [c.num ? 'num' : '', c.name ? 'name' : '', extra ?? ''].filter(Boolean).join(' ');
    return names ? ` class="${names}"` : '';
  };
  const head = columns.map((c) => `<th scope="col"${cls(c)}>${escapeHtml(c.label)}</th>`).join('');
  const body = rows
    .map(
      (r) =>
        `<tr${r.className ? ` class="${r.className}"` : ''}>${r.cells.map((cell, i) => `<td${cls(columns[i] ?? { label: '' }, r.cellClass?.[i])}>${cell}</td>`).join('')}</tr>`,
    )
    .join('\n');
  return `<div class="table-wrap"><table${testid ? ` data-testid="${escapeHtml(testid)}"` : ''}><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
}

/** A PASS / FAIL / SKIPPED / NOT JUDGED cell: a mark and a word, never colour alone. */
export function resultCell(result: 'pass' | 'fail' | 'skip' | 'unjudged'): string {
  const text = { pass: '✓ PASS', fail: '✗ FAIL', skip: '– SKIPPED', unjudged: '– NOT JUDGED' }[result];
  return `<span class="result result-${result === 'unjudged' ? 'skip' : result}">${text}</span>`;
}
