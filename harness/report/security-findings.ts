import { formatDuration } from './format-values.ts';
import type { FailureKind } from '../result/failure.ts';
import type { DetectionRecord, RunVerdict, SecurityAnalysis, SecurityCheckRecord } from '../result/summary-model.ts';

/**
 * What every security report says the same way: the OWASP API Security Top 10 (2023) categories,
 * the order findings are listed in, how a finding is named, and how detection is judged. Read from
 * summary.security only (reports never import the checks themselves).
 */

export const OWASP_API_2023: Readonly<Record<string, string>> = {
  API1: 'Broken Object Level Authorization',
  API2: 'Broken Authentication',
  API3: 'Broken Object Property Level Authorization',
  API4: 'Unrestricted Resource Consumption',
  API5: 'Broken Function Level Authorization',
  API6: 'Unrestricted Access to Sensitive Business Flows',
  API7: 'Server Side Request Forgery',
  API8: 'Security Misconfiguration',
  API9: 'Improper Inventory Management',
  API10: 'Unsafe Consumption of APIs',
};

/** 'API2' -> 'API2:2023 Broken Authentication' (an unknown category as it is). */
export function owaspLabel(category: string): string {
  const name = OWASP_API_2023[category];
  return name ? `${category}:2023 ${name}` : category;
}

/** API1 < API2 < ... < API10, then anything else by name. */
function owaspRank(category: string): number {
  const m = /^API(\d+)$/.exec(category);
  return m ? Number(m[1]) : 1000;
}

/** Checks grouped by OWASP category, categories in Top 10 order, checks in run order within each. */
export function checksByOwasp(checks: readonly SecurityCheckRecord[]): [string, SecurityCheckRecord[]][] {
  const groups = new Map<string, SecurityCheckRecord[]>();
  for (const c of checks) groups.set(c.owasp, [...(groups.get(c.owasp) ?? []), c]);
  return [...groups.entries()].sort((a, b) => owaspRank(a[0]) - owaspRank(b[0]) || a[0].localeCompare(b[0]));
}

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'none'] as const;

/** Failed checks, worst first: severity, then CVSS score, then id (a stable order for every report). */
export function findingsOf(s: SecurityAnalysis): SecurityCheckRecord[] {
  return s.checks
    .filter((c) => c.verdict === 'fail')
    .sort((a, b) => SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity) || b.cvss.score - a.cvss.score || a.id.localeCompare(b.id));
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** 'SEC-JWT-01 JWT alg none accepted' */
export const findingName = (c: SecurityCheckRecord): string => `${c.id} ${c.title}`;

/** The request of a piece of evidence as a request line: `GET http://127.0.0.1:7300/api/me`. */
export const requestLine = (e: SecurityCheckRecord['evidence'][number]): string => `${e.method} ${e.url}`;

/** Detection of a class in words: `+11.3 s (CrucibleAuthFailureBurst)`, `not detected`, `+1 min 11 s, over the 60 s budget`, `not measured (...)`. */
export function detectionWords(d: DetectionRecord): string {
  if (d.notMeasured !== undefined) return `not measured (${d.notMeasured})`;
  if (d.timeToDetectMs === null) return d.auditMs === null ? 'not detected (no audit line, no alert)' : 'no alert (audit lines only)';
  const t = `+${formatDuration(d.timeToDetectMs)}`;
  return d.ok ? t : `${t}, over the ${formatDuration(d.budgetMs)} budget`;
}

/**
 * What a security run failed on, in the banner's words, from its verdict: findings by severity
 * (critical and high ones named, the rest counted), checks that could not run, and attack classes
 * the platform did not detect within the budget.
 */
export function securityFailures(s: SecurityAnalysis, v: RunVerdict): { readonly findings: string; readonly errors: string; readonly detection: string } {
  const ids = (kind: FailureKind): Set<string> => new Set([...v.failures, ...v.warnings].filter((f) => f.kind === kind).map((f) => f.subject));
  const findingIds = ids('security-finding');
  const found = findingsOf(s).filter((c) => findingIds.has(c.id));
  const named = (sev: 'critical' | 'high'): string => {
    const list = found.filter((c) => c.severity === sev);
    if (list.length === 0) return '';
    const names = list.slice(0, 4).map(findingName).join(', ');
    return `${plural(list.length, `${sev} finding`)}: ${names}${list.length > 4 ? `, and ${list.length - 4} more` : ''}`;
  };
  const counted = (['medium', 'low', 'none'] as const)
    .map((sev) => {
      const n = found.filter((c) => c.severity === sev).length;
      return n ? `${n} ${sev === 'none' ? 'informational' : sev}` : '';
    })
    .filter(Boolean);
  const others = found.filter((c) => c.severity !== 'critical' && c.severity !== 'high').length;
  const rest = others ? `${counted.join(', ')} ${others === 1 ? 'finding' : 'findings'}` : '';
  const findings = [named('critical'), named('high'), rest].filter(Boolean).join('; ');
  const errorIds = ids('check-error');
  const errored = s.checks.filter((c) => errorIds.has(c.id));
  const errors = errored.length
    ? `${plural(errored.length, 'check')} could not run (${errored
        .slice(0, 4)
        .map((c) => c.id)
        .join(', ')}${errored.length > 4 ? ', …' : ''})`
    : '';
  const missedClasses = ids('detection');
  const missed = s.detection.filter((d) => missedClasses.has(d.attackClass));
  const detection = missed.length
    ? `${plural(missed.length, 'attack class', 'attack classes')} not detected in time (${missed.map((d) => d.attackClass).join(', ')})`
    : '';
  return { findings, errors, detection };
}

/** Checks that apply (not not-applicable). */
export const applicableCount = (s: SecurityAnalysis): number => s.checks.length - s.counts.notApplicable;
