/**
 * What a k6 script imports to run well under crucible (docs/k6.md). Runs inside k6, not Node:
 * k6's globals only (`__ENV`, `open`), no Node modules, no remote imports.
 *
 *   import { baseUrl, crucibleOptions } from './lib/crucible.ts';
 *   export { handleSummary } from './lib/crucible.ts';
 *   export const options = crucibleOptions({ thresholds: { http_req_duration: ['p(95)<200'] } });
 */
import type { Options, Threshold } from 'k6/options';

/** The target's base URL: crucible passes BASE_URL with -e; the default is the local platform's edge. */
export function baseUrl(): string {
  return (__ENV['BASE_URL'] ?? 'http://127.0.0.1:7300').replace(/\/+$/, '');
}

const thresholdText = (t: Threshold): string => (typeof t === 'string' ? t : t.threshold).replace(/\s+/g, '');

/**
 * The script's options with crucible's thresholds added. k6 lets a script's `options` replace the
 * --config file's thresholds wholesale, so a script that declares its own would silently drop the
 * scenario's; this merges the file crucible wrote (path in __ENV.CRUCIBLE_K6_OPTIONS) into them,
 * per metric, without duplicates. Outside crucible it returns the options unchanged.
 * Call it in the init context (where `open` works): `export const options = crucibleOptions({...})`.
 */
export function crucibleOptions(options: Options): Options {
  const file = __ENV['CRUCIBLE_K6_OPTIONS'];
  if (!file) return options;
  const fromCrucible = (JSON.parse(open(file)) as Options).thresholds ?? {};
  const thresholds: Record<string, Threshold[]> = { ...options.thresholds };
  for (const [metric, list] of Object.entries(fromCrucible)) {
    const mine = thresholds[metric] ?? [];
    const seen = new Set(mine.map(thresholdText));
    thresholds[metric] = [...mine, ...list.filter((t) => !seen.has(thresholdText(t)))];
  }
  return { ...options, thresholds };
}

/** The parts of k6's legacy handleSummary data this file reads. */
interface SummaryData {
  readonly state?: { readonly testRunDurationMs?: number };
  readonly metrics: Record<
    string,
    { readonly type: string; readonly values: Record<string, number>; readonly thresholds?: Record<string, { readonly ok: boolean }> }
  >;
}

const fixed = (v: number | undefined, digits = 2): string => (v === undefined || v === null ? '-' : Number.isInteger(v) ? String(v) : v.toFixed(digits));

/** A short plain-text summary for the console (no jslib import: crucible's machines may be offline). */
export function textSummary(data: SummaryData): string {
  const lines: string[] = [];
  const names = Object.keys(data.metrics).sort();
  const width = Math.max(...names.map((n) => n.length)) + 2;
  for (const name of names) {
    const m = data.metrics[name]!;
    const v = m.values;
    let text: string;
    if (m.type === 'trend')
      text = ['avg', 'med', 'p(95)', 'p(99)', 'max']
        .filter((k) => k in v)
        .map((k) => `${k}=${fixed(v[k])}`)
        .join(' ');
    else if (m.type === 'rate') text = `${fixed((v['rate'] ?? 0) * 100)}% (${v['passes']} of ${(v['passes'] ?? 0) + (v['fails'] ?? 0)})`;
    else if (m.type === 'counter') text = `${fixed(v['count'])} (${fixed(v['rate'])}/s)`;
    else text = `${fixed(v['value'])} min=${fixed(v['min'])} max=${fixed(v['max'])}`;
    const verdicts = Object.entries(m.thresholds ?? {}).map(([expr, t]) => `${t.ok ? 'ok' : 'FAILED'} ${expr}`);
    lines.push(`  ${name.padEnd(width, '.')} ${text}${verdicts.length ? `   [${verdicts.join(', ')}]` : ''}`);
  }
  const seconds = (data.state?.testRunDurationMs ?? 0) / 1_000;
  return `\ncrucible k6 summary (${seconds.toFixed(1)} s)\n${lines.join('\n')}\n\n`;
}

/**
 * k6 calls this at the end of the run. It saves the raw legacy summary object (the richest of k6's
 * summary shapes: every trend statistic, per-threshold ok) to the path crucible passed in
 * __ENV.CRUCIBLE_SUMMARY_FILE, and prints a short text summary. k6 writes --summary-export as well.
 */
export function handleSummary(data: SummaryData): Record<string, string> {
  const out: Record<string, string> = { stdout: textSummary(data) };
  const file = __ENV['CRUCIBLE_SUMMARY_FILE'];
  if (file) out[file] = JSON.stringify(data, null, 2);
  return out;
}
