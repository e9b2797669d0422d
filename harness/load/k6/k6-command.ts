import { join } from 'node:path';
import { versionAtLeast } from './find-k6.ts';
import type { K6OptionsFile } from './k6-options.ts';

/** Trend statistics k6 is asked for: exactly crucible's TrendValues keys. */
const K6_TREND_STATS = ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)', 'p(99.9)', 'count'] as const;

/** File names inside the run folder. */
const K6_FILES = {
  summaryExport: 'k6-summary-export.json',
  points: 'k6-points.ndjson',
  handleSummary: 'k6-summary.json',
  options: 'k6-options.json',
  stdout: 'k6-stdout.log',
  stderr: 'k6-stderr.log',
} as const;

export interface K6CommandInput {
  readonly script: string;
  /** The run folder: every file k6 writes goes here. */
  readonly outDir: string;
  readonly baseUrl: string;
  /** From `k6 version`; gates flags older builds do not know. undefined = assume a current k6. */
  readonly k6Version?: string | undefined;
  /** Written to k6-options.json and passed with --config when it has anything in it. */
  readonly options?: K6OptionsFile;
  /** Extra `-e NAME=value` for the script's __ENV. */
  readonly scriptEnv?: Readonly<Record<string, string>>;
}

export interface K6Command {
  /** Arguments after the k6 binary. */
  readonly args: readonly string[];
  /** Added to the process environment. */
  readonly env: Readonly<Record<string, string>>;
  readonly files: { readonly summaryExport: string; readonly points: string; readonly handleSummary: string; readonly stdout: string; readonly stderr: string };
  /** The --config file to write before spawning; absent when crucible has no option to pass. */
  readonly optionsFile?: { readonly path: string; readonly content: string };
}

/**
 * `k6 run` with everything the adapter collects: the legacy --summary-export (pinned with
 * --new-machine-readable-summary=false on k6 >= 1.5, where that flag exists), the raw points as NDJSON,
 * every trend statistic crucible's model has, BASE_URL and the path for scenarios/k6/lib/crucible.ts's
 * handleSummary in __ENV, and crucible's thresholds in a --config file.
 */
export function buildK6Command(input: K6CommandInput): K6Command {
  const file = (name: string): string => join(input.outDir, name);
  const files = {
    summaryExport: file(K6_FILES.summaryExport),
    points: file(K6_FILES.points),
    handleSummary: file(K6_FILES.handleSummary),
    stdout: file(K6_FILES.stdout),
    stderr: file(K6_FILES.stderr),
  };
  const optionsPath = file(K6_FILES.options);
  const hasOptions = input.options !== undefined && Object.keys(input.options).length > 0;

  const args: string[] = ['run', '--summary-export', files.summaryExport, '--out', `json=${files.points}`];
  if (versionAtLeast(input.k6Version, '1.5.0')) args.push('--new-machine-readable-summary=false');
  args.push('--summary-trend-stats', K6_TREND_STATS.join(','));
  const env: Record<string, string> = { BASE_URL: input.baseUrl, CRUCIBLE_SUMMARY_FILE: files.handleSummary, ...input.scriptEnv };
  if (hasOptions) env['CRUCIBLE_K6_OPTIONS'] = optionsPath;
  for (const [name, value] of Object.entries(env)) args.push('-e', `${name}=${value}`);
  if (hasOptions) args.push('--config', optionsPath);
  if (/\.[cm]?ts$/.test(input.script)) {
    if (!versionAtLeast(input.k6Version, '0.52.0'))
      throw new Error(`k6 ${input.k6Version} cannot run TypeScript (${input.script}); k6 >= 0.57 runs .ts scripts natively`);
    if (!versionAtLeast(input.k6Version, '0.57.0')) args.push('--compatibility-mode=experimental_enhanced');
  }
  args.push(input.script);

  const command: K6Command = { args, env: { K6_NO_USAGE_REPORT: 'true' }, files };
  return hasOptions ? { ...command, optionsFile: { path: optionsPath, content: `${JSON.stringify(input.options, null, 2)}\n` } } : command;
}
