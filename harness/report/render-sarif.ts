import { createHash } from 'node:crypto';
import { applicableCount, owaspLabel } from './security-findings.ts';
import type { RunSummary, SecurityAnalysis, SecurityCheckRecord } from '../result/summary-model.ts';

/**
 * findings.sarif: a penetration run's findings as SARIF 2.1.0, for code-scanning dashboards
 * (GitHub, GitLab, Defect Dojo) and anything else that reads SARIF. docs/report-schema.md
 * ("SARIF mapping") explains each decision; fixtures/sarif/ holds the schema the tests validate
 * it against.
 */

export const SARIF_VERSION = '2.1.0' as const;
/** The OASIS standard's schema (2.1.0 with errata 01), which fixtures/sarif/sarif-schema-2.1.0.json is a copy of. */
export const SARIF_SCHEMA_URI = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
/** partialFingerprints key; the version changes if what is hashed ever changes (old alerts would not match). */
export const FINGERPRINT_KEY = 'crucibleFinding/v1';

export interface RenderSarifOptions {
  /**
   * The absolute URI the checkout's files can be read under, e.g.
   * `https://github.com/acme/crucible/blob/<sha>/`. It gives `tool.driver.informationUri` and each
   * rule's `helpUri` (docs/security.md#<check id>). SARIF requires both to be absolute URIs, so
   * without it they are left out and each rule's help text names `docs/security.md#<check id>`.
   */
  readonly docsBaseUri?: string;
}

type Severity = SecurityCheckRecord['severity'];
type Evidence = SecurityCheckRecord['evidence'][number];

/** CVSS band -> SARIF level (ZAP's mapping, with critical folded into error as GitHub does). */
export const SARIF_LEVEL: Readonly<Record<Severity, 'error' | 'warning' | 'note' | 'none'>> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  none: 'none',
};

/** The parts of a SARIF log this renderer writes (the schema has many more). */
export interface SarifLog {
  readonly $schema: string;
  readonly version: typeof SARIF_VERSION;
  readonly runs: readonly SarifRun[];
}
export interface SarifRun {
  readonly tool: { readonly driver: { readonly name: string; readonly rules: readonly SarifRule[]; readonly [k: string]: unknown } };
  readonly results: readonly SarifResult[];
  readonly invocations: readonly { readonly executionSuccessful: boolean; readonly [k: string]: unknown }[];
  readonly [k: string]: unknown;
}
export interface SarifRule {
  readonly id: string;
  readonly properties: { readonly tags: readonly string[]; readonly 'security-severity': string; readonly precision: string; readonly [k: string]: unknown };
  readonly [k: string]: unknown;
}
export interface SarifResult {
  readonly ruleId: string;
  readonly level: 'error' | 'warning' | 'note' | 'none';
  readonly message: { readonly text: string };
  readonly partialFingerprints: Readonly<Record<string, string>>;
  readonly [k: string]: unknown;
}

/** RFC 3986 characters a URI may carry as they are (plus % of an escape). */
const encodeUriPart = (s: string): string =>
  s.replace(/[^A-Za-z0-9\-._~!$&'()*+,;=:@/?%]/g, (c) => encodeURIComponent(c)).replace(/%(?![0-9A-Fa-f]{2})/g, '%25');

/**
 * An evidence URL as a valid RFC 3986 URI for `artifactLocation.uri`: parsed and re-encoded
 * (credentials dropped), or, when it is not a URL at all, percent-encoded whole into one relative
 * reference. Checks record URLs as they sent them, which need not be valid URIs (payloads in queries).
 */
export function sarifUri(raw: string): string {
  const text = raw.toWellFormed();
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    return encodeURIComponent(text);
  }
  const hash = u.hash ? `#${encodeUriPart(u.hash.slice(1))}` : '';
  const authority = u.href.startsWith(`${u.protocol}//`) ? `//${u.host}` : '';
  return `${u.protocol}${authority}${encodeUriPart(u.pathname)}${encodeUriPart(u.search)}${hash}`;
}

/** Path segments that are object ids (numbers, UUIDs, long hex): they differ from run to run, the route does not. */
const ID_SEGMENT = /^(?:\d+|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{16,})$/i;

/**
 * The route a request attacked, stable across runs and targets: the path with ids as `{id}`,
 * without host, port (they move with the port base), query or fragment; the scheme is kept when it
 * is not HTTP (`redis:`).
 */
export function routeOf(url: string): string {
  let path: string;
  let scheme = '';
  try {
    const u = new URL(url);
    path = u.pathname;
    if (u.protocol !== 'http:' && u.protocol !== 'https:') scheme = u.protocol;
  } catch {
    path = url.split(/[?#]/)[0] ?? url;
  }
  return `${scheme}${path
    .split('/')
    .map((seg) => (ID_SEGMENT.test(seg) ? '{id}' : seg))
    .join('/')}`;
}

/** sha256 of ruleId | METHOD | route: the same finding on the same route keeps its fingerprint from run to run. */
export function findingFingerprint(ruleId: string, method: string, url: string): string {
  return createHash('sha256')
    .update(`${ruleId}|${method.toUpperCase()}|${routeOf(url)}`)
    .digest('hex');
}

const docsAnchor = (id: string): string => `docs/security.md#${id}`;

function rule(c: SecurityCheckRecord, docsBase: URL | undefined): SarifRule {
  const cwes = [...new Set(c.cwe)];
  const facts = `${cwes.map((n) => `CWE-${n}`).join(', ')} · OWASP ${owaspLabel(c.owasp)} · CVSS ${c.cvss.score.toFixed(1)} (${c.cvss.vector})`;
  const cweLinks = cwes.map((n) => `[CWE-${n}](https://cwe.mitre.org/data/definitions/${n}.html)`).join(', ');
  return {
    id: c.id,
    shortDescription: { text: c.title },
    fullDescription: { text: c.description || c.title },
    help: {
      text: `${c.description}\n\n${facts}\nDocumentation: ${docsAnchor(c.id)}`,
      markdown: `${c.description}\n\n${cweLinks} · OWASP ${owaspLabel(c.owasp)} · CVSS ${c.cvss.score.toFixed(1)} \`${c.cvss.vector}\`\n\nDocumentation: \`${docsAnchor(c.id)}\``,
    },
    ...(docsBase ? { helpUri: sarifUri(new URL(docsAnchor(c.id), docsBase).href) } : {}),
    defaultConfiguration: { level: SARIF_LEVEL[c.severity] },
    properties: {
      tags: [...new Set(['security', `owasp-api-2023:${c.owasp}`, ...cwes.map((n) => `external/cwe/cwe-${n}`)])],
      'security-severity': c.cvss.score.toFixed(1),
      precision: 'high',
      cvssVector: c.cvss.vector,
      severity: c.severity,
      owasp: owaspLabel(c.owasp),
      attackClass: c.attackClass,
    },
  };
}

function location(e: Evidence | undefined, fallbackUrl: string): Record<string, unknown> {
  const url = e?.url ?? fallbackUrl;
  return {
    physicalLocation: { artifactLocation: { uri: sarifUri(url) } },
    logicalLocations: [{ fullyQualifiedName: `${(e?.method ?? 'GET').toUpperCase()} ${routeOf(url)}`, kind: 'resource' }],
  };
}

const schemeOf = (url: string): string | undefined => /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();

function webRequest(e: Evidence): Record<string, unknown> {
  const protocol = schemeOf(e.url);
  return {
    ...(protocol ? { protocol } : {}),
    target: e.url,
    method: e.method,
    ...(e.requestHeaders && Object.keys(e.requestHeaders).length ? { headers: { ...e.requestHeaders } } : {}),
    ...(e.requestBody !== undefined ? { body: { text: e.requestBody } } : {}),
  };
}

/** Status 0 is "no HTTP answer": a non-HTTP excerpt (Redis' -NOAUTH) is still kept as the body. */
function webResponse(e: Evidence): Record<string, unknown> {
  const body = e.responseExcerpt !== undefined ? { body: { text: e.responseExcerpt } } : {};
  if (e.status > 0) return { statusCode: e.status, ...body };
  return e.responseExcerpt ? body : { noResponseReceived: true };
}

function result(c: SecurityCheckRecord, ruleIndex: number, targetUrl: string): SarifResult {
  const [first, ...more] = c.evidence;
  const notes = c.evidence.filter((e) => e.note).map((e) => `${e.method} ${e.url}: ${e.note}`);
  return {
    ruleId: c.id,
    ruleIndex,
    kind: 'fail',
    level: SARIF_LEVEL[c.severity],
    message: { text: c.summary || c.title },
    locations: [location(first, targetUrl)],
    partialFingerprints: { [FINGERPRINT_KEY]: findingFingerprint(c.id, first?.method ?? 'GET', first?.url ?? targetUrl) },
    ...(first ? { webRequest: webRequest(first), webResponse: webResponse(first) } : {}),
    ...(more.length
      ? {
          relatedLocations: more.map((e, i) => ({
            id: i + 1,
            message: { text: `${e.method} ${e.url} → ${e.status === 0 ? 'no HTTP answer' : e.status}${e.note ? ` (${e.note})` : ''}` },
            ...location(e, targetUrl),
          })),
        }
      : {}),
    properties: {
      severity: c.severity,
      cvss: c.cvss.score,
      cvssVector: c.cvss.vector,
      owasp: owaspLabel(c.owasp),
      cwe: c.cwe.map((n) => `CWE-${n}`),
      attackClass: c.attackClass,
      startedMs: c.startedMs,
      endedMs: c.endedMs,
      ...(notes.length ? { evidenceNotes: notes } : {}),
    },
  };
}

/**
 * The proof behind "100 % compliance", in the run's property bag rather than as `kind: pass`
 * results: GitHub shows every result as an alert and rejects a second run of the same tool and
 * category in one file, so passes ride where SARIF consumers ignore them and auditors can read them.
 */
function compliance(s: SecurityAnalysis): Record<string, unknown> {
  const ids = (v: SecurityCheckRecord['verdict']): string[] => s.checks.filter((c) => c.verdict === v).map((c) => c.id);
  return {
    checks: s.checks.length,
    applicable: applicableCount(s),
    reachedVerdict: s.counts.pass + s.counts.fail,
    verdictCoverage: s.verdictCoverage,
    passed: ids('pass'),
    failed: ids('fail'),
    errored: ids('error'),
    notApplicable: s.checks.filter((c) => c.verdict === 'not-applicable').map((c) => ({ id: c.id, reason: c.summary })),
  };
}

/**
 * SARIF 2.1.0 for a run with `summary.security`: one run, one rule per check (ruleId = check id,
 * stable), one result per failed check. Throws for a summary without a security section (there
 * is nothing to report; writeRunReports only calls it when there is).
 */
export function renderSarif(summary: RunSummary, options: RenderSarifOptions = {}): SarifLog {
  const s = summary.security;
  if (!s) throw new Error(`renderSarif: run ${summary.run.id} has no security section (not a penetration run)`);
  const docsBase = options.docsBaseUri ? new URL(options.docsBaseUri) : undefined;
  const index = new Map(s.checks.map((c, i) => [c.id, i]));
  const errored = s.checks.filter((c) => c.verdict === 'error');
  const notApplicable = s.checks.filter((c) => c.verdict === 'not-applicable');
  const r = summary.run;
  const version = r.crucible;
  return {
    $schema: SARIF_SCHEMA_URI,
    version: SARIF_VERSION,
    runs: [
      {
        tool: {
          driver: {
            name: 'crucible',
            fullName: `crucible ${version} penetration checks`,
            version,
            ...(/^\d+\.\d+\.\d+/.test(version) ? { semanticVersion: version } : {}),
            ...(docsBase ? { informationUri: sarifUri(docsBase.href) } : {}),
            rules: s.checks.map((c) => rule(c, docsBase)),
          },
        },
        automationDetails: { id: `crucible/${r.scenario.name}/${r.id}` },
        invocations: [
          {
            executionSuccessful: errored.length === 0 && summary.verdict.status !== 'aborted' && summary.verdict.status !== 'error',
            exitCode: summary.verdict.exitCode,
            ...(r.abortReason ? { exitCodeDescription: r.abortReason } : {}),
            startTimeUtc: r.startedAt,
            endTimeUtc: r.endedAt,
            ...(errored.length
              ? {
                  toolExecutionNotifications: errored.map((c) => ({
                    level: 'error',
                    message: { text: `${c.id} could not reach a verdict: ${c.summary}` },
                    associatedRule: { id: c.id, index: index.get(c.id) },
                  })),
                }
              : {}),
            ...(notApplicable.length
              ? {
                  toolConfigurationNotifications: notApplicable.map((c) => ({
                    level: 'note',
                    message: { text: `${c.id} not applicable: ${c.summary}` },
                    associatedRule: { id: c.id, index: index.get(c.id) },
                  })),
                }
              : {}),
          },
        ],
        results: s.checks.filter((c) => c.verdict === 'fail').map((c) => result(c, index.get(c.id)!, r.target.baseUrl)),
        properties: {
          runId: r.id,
          target: r.target.baseUrl,
          profile: s.profile,
          vulnerableSwitches: s.vulnerableSwitches,
          counts: s.counts,
          compliance: compliance(s),
          detection: s.detection,
        },
      },
    ],
  };
}
