/**
 * The metric names a PromQL expression selects, so a test can hold a dashboard's queries to the
 * series the platform exports. No PromQL parser is published for Node apart from the Prometheus UI's
 * editor grammar, and promtool (which checks that the expressions parse) prints no syntax tree; this
 * reads only expressions promtool has already accepted: label matchers, ranges and grouping label
 * lists are removed, and what is left that names no function, keyword or number is a metric.
 */

const KEYWORDS = new Set([
  'and',
  'or',
  'unless',
  'bool',
  'offset',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'inf',
  'nan',
  'start',
  'end',
]);

export function promqlMetricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/gi, ' ');
  const names = new Set<string>();
  for (const m of stripped.matchAll(/(?<![\w.:$])([A-Za-z_:][\w:]*)(\s*\()?/g)) {
    const [, name = '', call] = m;
    if (call || KEYWORDS.has(name.toLowerCase())) continue;
    names.add(name);
  }
  return [...names].sort();
}
