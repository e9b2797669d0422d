import { escapeHtml as e } from './escape-html.ts';
import { formatCount, formatDuration } from './format-values.ts';
import type { RunSummary } from '../result/summary-model.ts';
import type { VerdictWords } from './verdict-words.ts';

/** The banner: the verdict word first and biggest, then why, then what ran. */
export function verdictHeader(s: RunSummary, v: VerdictWords): string {
  return `<header class="verdict verdict-${v.status}" data-testid="verdict"><div class="verdict-inner">
<div class="verdict-word" data-testid="verdict-word">${v.mark} ${v.word}</div>
<div class="verdict-reason">${e(v.reason)}</div>
<h1>${e(s.run.scenario.name)} <span class="kind">(${e(s.run.scenario.kind)})</span></h1>
</div></header>`;
}

export function runMeta(s: RunSummary): string {
  const item = (label: string, html: string): string => `<div><dt>${e(label)}</dt><dd>${html}</dd></div>`;
  const r = s.run;
  const items = [
    item('Target', `${e(r.target.kind)} <code>${e(r.target.baseUrl)}</code>`),
    item('Duration', `${e(formatDuration(r.durationMs))}${r.abortReason ? ` <span class="small">(stopped: ${e(r.abortReason)})</span>` : ''}`),
    item('Started', `<time datetime="${e(r.startedAt)}">${e(r.startedAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z'))}</time>`),
    item('Engine', `${e(s.engine.name)} ${e(s.engine.version)} <span class="small">(${e(s.engine.workers)} worker${s.engine.workers === 1 ? '' : 's'})</span>`),
    item('Scenario file', `<code>${e(r.scenario.file)}</code>`),
    item('Exit code', e(s.verdict.exitCode)),
    ...(r.suite ? [item('Suite', e(r.suite))] : []),
    // A penetration run sends no load: its checks are what it counts.
    s.security && s.requests.length === 0
      ? item(
          'Checks',
          `${e(formatCount(s.security.checks.length))} <span class="small">(${e(formatCount(s.security.checks.length - s.security.counts.notApplicable))} applicable)</span>`,
        )
      : item('Requests', e(formatCount(s.requests.reduce((a, q) => a + q.count, 0)))),
  ];
  return `<section aria-label="run"><dl class="meta">${items.join('')}</dl>${r.scenario.description ? `<p class="description">${e(r.scenario.description)}</p>` : ''}</section>`;
}

/**
 * Dropped iterations get their own red box above everything else: every latency figure below was
 * measured under less load than the scenario asked for, and a reader must not miss that.
 */
export function droppedAlert(s: RunSummary): string {
  if (s.droppedIterations <= 0) return '';
  const planned = s.requests.reduce((a, q) => a + q.count, 0) + s.droppedIterations;
  return `<section class="alert" role="alert" data-testid="dropped-alert"><strong class="big">⚠ ${e(formatCount(s.droppedIterations))} iterations were DROPPED</strong>
The load generator could not start them on time (every VU was busy), so the platform received about ${e(((s.droppedIterations / Math.max(1, planned)) * 100).toFixed(1))} % less load than planned. Latency and throughput below understate the load asked for; raise maxVUs and run again.</section>`;
}

export function notesSection(s: RunSummary): string {
  if (s.notes.length === 0) return '';
  return `<section class="notes" data-testid="notes"><h2>Notes</h2><ul>${s.notes.map((n) => `<li>${e(n)}</li>`).join('')}</ul></section>`;
}

export function footer(s: RunSummary, echartsVersion: string): string {
  const row = (k: string, v: string): string => `<dt>${e(k)}</dt><dd>${v}</dd>`;
  const r = s.run;
  return `<footer data-testid="footer"><dl>
${row('run id', `<code>${e(r.id)}</code>`)}
${row('started / ended', `${e(r.startedAt)} / ${e(r.endedAt)}`)}
${row('crucible', e(r.crucible))}
${row('engine', `${e(s.engine.name)} ${e(s.engine.version)}, ${e(s.engine.workers)} workers, ${e(s.engine.histogram)}`)}
${row('node', e(r.node))}
${row('host', `${e(r.host.platform)}, ${e(r.host.cpus)} CPUs`)}
${r.gitSha ? row('git', `<code>${e(r.gitSha)}</code>`) : ''}
${row('schema', `<code>${e(s.schema)}</code>`)}
${row('charts', `echarts ${e(echartsVersion)} (inlined)`)}
</dl></footer>`;
}
