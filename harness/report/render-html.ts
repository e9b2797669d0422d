import { chartSpecs } from './chart-options.ts';
import { cspHash, echartsBundle } from './echarts-bundle.ts';
import { escapeHtml as e, jsonForScript } from './escape-html.ts';
import { chartsSection, platformSection, soakSection, stressSection } from './html-analysis-sections.ts';
import { chaosAlerts, chaosSection } from './html-chaos-sections.ts';
import { HTML_PAGE_SCRIPT } from './html-page-script.ts';
import { checkSection, podSection, requestSection, sloSection, thresholdSection } from './html-result-tables.ts';
import { droppedAlert, footer, notesSection, runMeta, verdictHeader } from './html-run-sections.ts';
import { securityAlerts, securitySection } from './html-security-sections.ts';
import { HTML_STYLE } from './html-style.ts';
import { sloLimits } from './slo-limits.ts';
import type { RunSummary } from '../result/summary-model.ts';
import { verdictWords } from './verdict-words.ts';

/**
 * report.html: one self-contained file that opens from disk with no network. The data travels as
 * JSON in non-executed <script type="application/json"> blocks (escaped so no value can close the
 * element), the charts are drawn by the inlined echarts, and a Content-Security-Policy allows
 * exactly those two inline scripts and no fetch of any kind: even a name that slipped through
 * escaping could neither run code nor call home.
 */
export function renderHtml(summary: RunSummary): string {
  const verdict = verdictWords(summary);
  const charts = chartSpecs(summary);
  const echarts = echartsBundle();
  const csp = [
    `default-src 'none'`,
    `script-src ${cspHash(echarts.source)} ${cspHash(HTML_PAGE_SCRIPT)}`,
    `style-src 'unsafe-inline'`,
    `img-src data:`,
    `base-uri 'none'`,
    `form-action 'none'`,
  ].join('; ');
  const body = [
    verdictHeader(summary, verdict),
    '<main>',
    runMeta(summary),
    droppedAlert(summary),
    chaosAlerts(summary),
    securityAlerts(summary),
    notesSection(summary),
    securitySection(summary),
    sloSection(summary),
    thresholdSection(summary),
    chaosSection(summary, charts),
    chartsSection(summary, charts),
    stressSection(summary, charts),
    soakSection(summary, charts),
    platformSection(summary, charts),
    requestSection(summary, sloLimits(summary).p95Ms?.value ?? null),
    podSection(summary),
    checkSection(summary),
    '</main>',
    footer(summary, echarts.version),
  ].filter(Boolean);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${e(csp)}">
<meta name="generator" content="crucible ${e(summary.run.crucible)}">
<title>${e(`${verdict.word} · ${summary.run.scenario.name} · crucible`)}</title>
<style>${HTML_STYLE}</style>
</head>
<body>
${body.join('\n')}
<script type="application/json" id="crucible-summary">${jsonForScript(summary)}</script>
<script type="application/json" id="crucible-charts">${jsonForScript(charts)}</script>
<script>${echarts.source}</script>
<script>${HTML_PAGE_SCRIPT}</script>
</body>
</html>
`;
}
