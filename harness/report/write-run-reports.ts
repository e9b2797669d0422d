import { mkdir, rename, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CrucibleError } from '../errors/crucible-error.ts';
import { renderHtml } from './render-html.ts';
import { renderJunit } from './render-junit.ts';
import { renderMarkdown } from './render-markdown.ts';
import { renderSarif, type RenderSarifOptions } from './render-sarif.ts';
import { SUMMARY_SCHEMA, type RunSummary } from '../result/summary-model.ts';
import { SUMMARY_SCHEMA_V1, summaryFromV1, type RunSummaryV1 } from '../result/summary-v1.ts';

export const REPORT_FILES = { summary: 'summary.json', html: 'report.html', junit: 'junit.xml', markdown: 'summary.md' } as const;
/** Penetration runs (a `security` section) also get their findings as SARIF 2.1.0. */
export const SARIF_FILE = 'findings.sarif';

export type RunReportPaths = { readonly [K in keyof typeof REPORT_FILES]: string } & { readonly sarif?: string };

export interface WriteRunReportsOptions {
  /** For findings.sarif; @default docsBaseFromEnv(process.env, summary.run.gitSha) */
  readonly sarif?: RenderSarifOptions;
}

/** Write-then-rename, so a reader (a CI upload, a browser refresh) never sees half a file. */
async function writeAtomic(file: string, content: string): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, content, 'utf8');
  await rename(tmp, file);
}

/**
 * Where the checkout's files can be read on the web, for SARIF's helpUri and informationUri (SARIF
 * wants absolute URIs): known in GitHub Actions (server, repository, the commit), unknown elsewhere.
 */
export function docsBaseFromEnv(env: Readonly<Record<string, string | undefined>>, gitSha: string | undefined): string | undefined {
  const server = env['GITHUB_SERVER_URL'];
  const repo = env['GITHUB_REPOSITORY'];
  const ref = gitSha ?? env['GITHUB_SHA'];
  if (!server || !repo || !ref || !/^https?:\/\//.test(server)) return undefined;
  return `${server.replace(/\/$/, '')}/${repo}/blob/${ref}/`;
}

/**
 * Every report of a run, into its folder: summary.json (the source of truth, 2-space JSON) and
 * report.html, junit.xml and summary.md rendered from it, plus findings.sarif for a penetration
 * run. All are rendered before any is written, so a renderer bug leaves the previous set intact
 * instead of a mix.
 */
export async function writeRunReports(runDir: string, summary: RunSummary, options: WriteRunReportsOptions = {}): Promise<RunReportPaths> {
  const contents = {
    summary: `${JSON.stringify(summary, null, 2)}\n`,
    html: renderHtml(summary),
    junit: renderJunit(summary),
    markdown: renderMarkdown(summary),
  };
  const docsBaseUri = options.sarif?.docsBaseUri ?? docsBaseFromEnv(process.env, summary.run.gitSha);
  const sarif = summary.security
    ? `${JSON.stringify(renderSarif(summary, { ...options.sarif, ...(docsBaseUri ? { docsBaseUri } : {}) }), null, 2)}\n`
    : undefined;
  await mkdir(runDir, { recursive: true });
  const paths = { summary: '', html: '', junit: '', markdown: '' };
  for (const key of Object.keys(REPORT_FILES) as (keyof typeof REPORT_FILES)[]) {
    paths[key] = join(runDir, REPORT_FILES[key]);
    await writeAtomic(paths[key], contents[key]);
  }
  if (sarif === undefined) return paths;
  const file = join(runDir, SARIF_FILE);
  await writeAtomic(file, sarif);
  return { ...paths, sarif: file };
}

const bad = (file: string, why: string): CrucibleError => new CrucibleError('CRUCIBLE_ERR_REPORT_INPUT', `${file} is not a crucible summary: ${why}`);

/**
 * Checks what the renderers rely on, so a wrong or damaged file fails here with its name rather
 * than deep inside a renderer. Not a full schema validation: summary.json is written by crucible;
 * this guards against the wrong file, another version, and truncation. A v1 file (an older
 * crucible's) is read as v2, its verdict judged from its results by the same rule a run uses.
 */
export function parseSummary(raw: string, file: string): RunSummary {
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch (err) {
    throw bad(file, `not JSON (${(err as Error).message})`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw bad(file, 'not a JSON object');
  const o = data as Record<string, unknown>;
  const schema = o['schema'];
  if (schema !== SUMMARY_SCHEMA && schema !== SUMMARY_SCHEMA_V1) {
    if (typeof schema === 'string' && schema.startsWith('crucible.summary/'))
      throw bad(file, `its schema is ${schema}; this crucible reads ${SUMMARY_SCHEMA} and ${SUMMARY_SCHEMA_V1} (a newer crucible wrote it)`);
    throw bad(
      file,
      schema === undefined
        ? `it has no "schema" field (expected "${SUMMARY_SCHEMA}")`
        : `its "schema" is ${JSON.stringify(schema)}, expected "${SUMMARY_SCHEMA}"`,
    );
  }
  const run = o['run'] as Record<string, unknown> | undefined;
  const series = o['series'] as Record<string, unknown> | undefined;
  const verdict = o['verdict'] as Record<string, unknown> | undefined;
  const v1 = schema === SUMMARY_SCHEMA_V1;
  const missing = [
    typeof run === 'object' &&
    run !== null &&
    typeof run['id'] === 'string' &&
    (!v1 || typeof run['status'] === 'string') &&
    typeof run['scenario'] === 'object'
      ? ''
      : 'run',
    v1 || (typeof verdict === 'object' && verdict !== null && typeof verdict['status'] === 'string' && Array.isArray(verdict['failures'])) ? '' : 'verdict',
    typeof o['engine'] === 'object' && o['engine'] !== null ? '' : 'engine',
    typeof o['metrics'] === 'object' && o['metrics'] !== null ? '' : 'metrics',
    ...(['phases', 'requests', 'checks', 'thresholds', 'slos', 'notes'] as const).map((k) => (Array.isArray(o[k]) ? '' : k)),
    typeof series === 'object' && series !== null && Array.isArray(series['t']) ? '' : 'series',
    typeof o['droppedIterations'] === 'number' ? '' : 'droppedIterations',
  ].filter(Boolean);
  if (missing.length) throw bad(file, `missing or malformed: ${missing.join(', ')} (truncated or hand-edited?)`);
  return v1 ? summaryFromV1(data as RunSummaryV1) : (data as RunSummary);
}

/** Reads and checks a summary.json; the error names the file and what is wrong with it. */
export function readSummary(file: string): RunSummary {
  let raw: string;
  try {
    raw = readFileSync(file, 'utf8');
  } catch (err) {
    throw new CrucibleError('CRUCIBLE_ERR_REPORT_INPUT', `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, {
      cause: err,
    });
  }
  return parseSummary(raw, file);
}
