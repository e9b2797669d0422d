import { formatClock, formatCount, formatDuration, formatMs, formatPercent, formatRps, formatSloActual, formatThresholdActual } from './format-values.ts';
import { applicableCount, detectionWords, findingName, findingsOf } from './security-findings.ts';
import type { ChaosAnalysis, RunSummary, RunVerdict, SecurityAnalysis } from '../result/summary-model.ts';
import { availabilityMet, steadyStateFailed, verdictWords } from './verdict-words.ts';
import { failedOn } from '../result/verdict.ts';

/**
 * Markdown-safe text for a table cell or mid-line: emphasis, code, link and table characters are
 * backslash-escaped, `<` and `&` become entities (GitHub renders some raw HTML), line breaks become
 * spaces, and `@` gets a zero-width space so a name in a PR comment cannot mention anyone.
 */
export function mdText(value: string | number): string {
  return String(value)
    .replace(/[\r\n]+/g, ' ')
    .replace(/[\\`*_[\]|~]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/@/g, '@\u200b');
}

/** A code span when the text allows one (no backtick, no line break), else escaped text. */
export function mdCode(value: string): string {
  return /[`\r\n]/.test(value) ? mdText(value) : `\`${value.replace(/\|/g, '\\|')}\``;
}

const LIMIT = { failedThresholds: 8, requests: 5, notes: 6, faults: 8, keys: 5, findings: 8, errors: 4 };

/** The chaos part: faults, steady state, availability, then the ledger and the rollback, loud when they went wrong. */
function chaosLines(c: ChaosAnalysis, v: RunVerdict): string[] {
  const out: string[] = [];
  const passed = c.faults.filter((f) => f.verdict === 'passed').length;
  const av = c.availability;
  const met = availabilityMet(c, v);
  out.push(
    `**Chaos**: ${passed} of ${c.faults.length} faults passed · availability ${formatPercent(av.ratio)} ${met === false ? '✗' : met ? '✓' : '–'} (objective ${formatPercent(av.objective)}; ${formatPercent(av.errorBudgetConsumed)} of the error budget) · resilience score ${c.resilienceScore === null ? '–' : `${c.resilienceScore.toFixed(1)}/100`}`,
    '',
  );
  if (c.abortedBy)
    out.push(`> **! Experiment ABORTED** at ${formatClock(c.abortedBy.atMs)} by probe ${mdText(c.abortedBy.probe)}: ${mdText(c.abortedBy.reason)}`, '');
  if (c.faults.length) {
    out.push('| fault | detected | alert | MTTR | availability | verdict |', '|---|---:|---|---:|---:|---|');
    for (const f of c.faults.slice(0, LIMIT.faults)) {
      const alert = f.alertMs === null ? 'none' : `${mdText(f.alertName ?? 'alert')} +${formatDuration(f.timeToAlertMs ?? f.alertMs - f.injectedMs)}`;
      const verdict = f.verdict === 'passed' ? '✓ pass' : `✗ FAIL${f.reasons.length ? `: ${mdText(f.reasons.join('; '))}` : ''}`;
      out.push(
        `| ${mdText(f.name)} (${mdText(f.id)}) | ${f.timeToDetectMs === null ? 'not detected' : `+${formatDuration(f.timeToDetectMs)}`} | ${alert} | ${f.mttrMs === null ? 'never recovered' : formatDuration(f.mttrMs)} | ${formatPercent(f.availability)} | ${verdict} |`,
      );
    }
    if (c.faults.length > LIMIT.faults) out.push(`| … ${c.faults.length - LIMIT.faults} more in report.html | | | | | |`);
    out.push('');
  }
  if (c.steadyState.length)
    out.push(
      `Steady state: ${c.steadyState.map((x) => `${x.ok ? '✓' : steadyStateFailed(v, x.phase) ? '✗' : '–'} ${x.phase}${x.ok ? '' : ` (${mdText(x.note ?? `${x.goodWindows} of ${x.windows} windows good`)})`}`).join(' · ')}  `,
    );
  const l = c.ledger;
  if (l) {
    const counts = `${formatCount(l.acknowledged)} acknowledged of ${formatCount(l.attempted)} attempted, ${formatCount(l.unacknowledged)} unacknowledged, ${formatCount(l.appliedUnacknowledged)} applied without acknowledgement`;
    if (l.lostCount > 0 || l.duplicatedCount > 0) {
      const keys = [...l.lost, ...l.duplicated].slice(0, LIMIT.keys).map(mdCode).join(', ');
      out.push(
        '',
        `> **! Ledger: ${formatCount(l.lostCount)} acknowledged write${l.lostCount === 1 ? '' : 's'} LOST, ${formatCount(l.duplicatedCount)} DUPLICATED** (allowed lost: ${c.expectations.maxLostWrites}): ${keys}${l.lostCount + l.duplicatedCount > LIMIT.keys ? ', …' : ''}; ${counts}.`,
        '',
      );
    } else out.push(`Ledger: ✓ every acknowledged write read back once; ${counts}.  `);
  }
  if (c.rollback.complete) out.push('Rollback: ✓ every fault rolled back.', '');
  else out.push('', `> **! Rollback INCOMPLETE**: ${mdText(c.rollback.problems.join('; ') || 'no problem recorded')}`, '');
  return out;
}

/** The penetration part: counts, the vulnerable switches, the findings worst first, checks that could not run, detection. */
function securityLines(sec: SecurityAnalysis): string[] {
  const c = sec.counts;
  const found = findingsOf(sec);
  const bands = (['critical', 'high', 'medium', 'low', 'none'] as const)
    .map((b) => [b, found.filter((f) => f.severity === b).length] as const)
    .filter(([, n]) => n > 0);
  const out: string[] = [];
  out.push(
    `**Penetration test**: ${found.length ? `✗ ${found.length} finding${found.length === 1 ? '' : 's'} (${bands.map(([b, n]) => `${n} ${b}`).join(', ')})` : '✓ no finding'} · ${c.pass} passed · ${c.error ? `! ${c.error} could not run` : '0 errors'} · ${c.notApplicable} not applicable · verdict coverage ${formatPercent(sec.verdictCoverage)} of ${applicableCount(sec)} applicable checks`,
    '',
  );
  if (sec.vulnerableSwitches.length)
    out.push(`> **! Vulnerable switches ON**: ${sec.vulnerableSwitches.map(mdCode).join(', ')} (the platform was deliberately weakened for this run)`, '');
  if (found.length) {
    out.push('| check | severity | OWASP | finding |', '|---|---|---|---|');
    for (const f of found.slice(0, LIMIT.findings))
      out.push(`| ${mdText(findingName(f))} | ${f.severity} ${f.cvss.score.toFixed(1)} | ${mdText(f.owasp)} | ${mdText(f.summary)} |`);
    if (found.length > LIMIT.findings) out.push(`| … ${found.length - LIMIT.findings} more in report.html and findings.sarif | | | |`);
    out.push('');
  }
  const errored = sec.checks.filter((x) => x.verdict === 'error');
  if (errored.length) {
    out.push(
      `**Could not run** (not a pass): ${errored
        .slice(0, LIMIT.errors)
        .map((x) => `${mdText(x.id)} (${mdText(x.summary)})`)
        .join('; ')}${errored.length > LIMIT.errors ? `; … ${errored.length - LIMIT.errors} more` : ''}`,
      '',
    );
  }
  const measured = sec.detection.filter((d) => d.notMeasured === undefined);
  const unmeasured = sec.detection.filter((d) => d.notMeasured !== undefined);
  if (measured.length) {
    const ok = measured.filter((d) => d.ok).length;
    const missed = measured.filter((d) => !d.ok).map((d) => `✗ ${mdText(d.attackClass)} ${mdText(detectionWords(d))}`);
    out.push(
      `Detection: ${ok === measured.length ? '✓' : '✗'} ${ok} of ${measured.length} attack classes alerted on within budget${missed.length ? ` · ${missed.join(' · ')}` : ''}`,
      '',
    );
  }
  if (unmeasured.length) out.push(`Detection: not measured for ${unmeasured.length} attack classes (${mdText(unmeasured[0]?.notMeasured ?? '')})`, '');
  return out;
}

/**
 * summary.md, for CI step summaries and PR comments: verdict first, then what failed, the SLOs, the
 * slowest requests and the notes; stays under about 60 lines so it is read, not scrolled.
 */
export function renderMarkdown(s: RunSummary): string {
  const v = verdictWords(s);
  const r = s.run;
  const out: string[] = [];
  out.push(`## ${v.mark} ${v.word}: ${mdText(r.scenario.name)} (${mdText(r.scenario.kind)})`, '');
  out.push(`${mdText(v.reason.charAt(0).toUpperCase() + v.reason.slice(1))}.  `);
  out.push(
    `${mdText(r.target.kind)} ${mdCode(r.target.baseUrl)} · ${formatDuration(r.durationMs)} · ${mdText(s.engine.name)} ${mdText(s.engine.version)} · run ${mdCode(r.id)}`,
    '',
  );
  if (s.droppedIterations > 0)
    out.push(
      `> **! ${formatCount(s.droppedIterations)} iterations were DROPPED**: every VU was busy, so the platform saw less load than planned and latency understates the load asked for.`,
      '',
    );

  const failedThreshold = (t: RunSummary['thresholds'][number]): boolean => failedOn(s.verdict, 'threshold', `${t.metric} ${t.expression}`);
  const failed = s.thresholds.filter(failedThreshold);
  if (failed.length) {
    out.push('**Failed thresholds**', '', '| metric | expression | actual |', '|---|---|---|');
    for (const t of failed.slice(0, LIMIT.failedThresholds))
      out.push(`| ${mdCode(t.metric)} | ${mdCode(t.expression)} | ${mdText(formatThresholdActual(t, s.metrics))}${t.aborted ? ' (aborted the run)' : ''} |`);
    if (failed.length > LIMIT.failedThresholds) out.push(`| … ${failed.length - LIMIT.failedThresholds} more in report.html | | |`);
    out.push('');
  }
  const passed = s.thresholds.filter((t) => !failedThreshold(t));
  if (passed.length) out.push(`✓ ${passed.length} of ${s.thresholds.length} thresholds passed.`, '');

  if (s.slos.length) {
    out.push('**SLOs**', '', '| objective | actual | result | source |', '|---|---|---|---|');
    for (const o of s.slos) {
      const result = o.actual === null ? '– not measured' : failedOn(s.verdict, 'slo', o.id) ? '✗ FAIL' : '✓ pass';
      out.push(`| ${mdText(o.objective)} | ${mdText(formatSloActual(o))} | ${result} | ${o.source} |`);
    }
    out.push('');
  }

  if (s.stress) {
    const st = s.stress;
    out.push(
      `**Stress**: breaking point ${st.breakingPointRps === null ? 'not reached (the first step already missed the SLOs)' : formatRps(st.breakingPointRps)}; past it: ${st.failureMode} (${formatCount(st.past.shed)} shed, ${formatCount(st.past.timeouts)} without response, ${formatCount(st.past.errors)} errors of ${formatCount(st.past.requests)}).`,
      '',
    );
  }
  if (s.chaos) out.push(...chaosLines(s.chaos, s.verdict));
  if (s.security) out.push(...securityLines(s.security));
  if (s.soak) {
    const slopes = Object.entries(s.soak.rssSlopeMbPerHour).sort((a, b) => b[1] - a[1]);
    const worst = slopes[0];
    out.push(
      `**Soak**: ${s.soak.leakDetected ? '✗ leak suspected' : '✓ no leak'}; steepest RSS ${worst ? `${mdText(worst[0])} ${worst[1].toFixed(2)} MB/h` : 'not measured'}; p95 drift ${s.soak.p95DriftMsPerHour === null ? 'not measured' : `${s.soak.p95DriftMsPerHour.toFixed(2)} ms/h`}; ${s.soak.errorBursts.length} error burst(s).`,
      '',
    );
  }

  if (s.pods?.length) {
    // A distributed run's figures above are the merged ones; each pod's own show a skewed or starved one.
    out.push('**Load pods**', '', '| pod | status | requests | errors | dropped | p95 | p99 |', '|---:|---|---:|---:|---:|---:|---:|');
    for (const pod of s.pods)
      out.push(
        `| ${pod.index} | ${pod.status === 'lost' ? `✗ lost at ${formatDuration(pod.lostAtMs ?? 0)}` : pod.status} | ${formatCount(pod.requests)} | ${formatPercent(pod.errorRate)} | ${formatCount(pod.droppedIterations)} | ${formatMs(pod.p95Ms)} | ${formatMs(pod.p99Ms)} |`,
      );
    out.push('');
  }

  const top = [...s.requests].sort((a, b) => b.p95Ms - a.p95Ms).slice(0, LIMIT.requests);
  if (top.length) {
    out.push('**Slowest requests (p95)**', '', '| request | count | failed | p95 | p99 |', '|---|---:|---:|---:|---:|');
    for (const q of top)
      out.push(
        `| ${mdText(q.method)} ${mdText(q.name)} | ${formatCount(q.count)} | ${formatCount(q.failed)} (${formatPercent(q.failed / Math.max(1, q.count))}) | ${formatMs(q.p95Ms)} | ${formatMs(q.p99Ms)} |`,
      );
    out.push('');
  }

  if (s.notes.length) {
    out.push('**Notes**', '');
    for (const n of s.notes.slice(0, LIMIT.notes)) out.push(`- ${mdText(n)}`);
    if (s.notes.length > LIMIT.notes) out.push(`- … ${s.notes.length - LIMIT.notes} more in report.html`);
    out.push('');
  }
  out.push(`<sub>crucible ${mdText(r.crucible)} · ${mdText(s.schema)} · full report: report.html</sub>`);
  return `${out.join('\n')}\n`;
}
