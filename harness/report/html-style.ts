/** The report's stylesheet, inlined (the file opens from disk with no network). */
export const HTML_STYLE = `
:root { --ink: #0f172a; --muted: #475569; --line: #e2e8f0; --bg: #f8fafc; --card: #fff;
  --pass: #15803d; --fail: #b91c1c; --warn: #b45309; --skip: #64748b; --err: #7e22ce; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); }
main, .verdict-inner, footer { max-width: 1240px; margin: 0 auto; padding: 0 20px; }
h1 { font-size: 1.35rem; margin: 0; font-weight: 600; }
h2 { font-size: 1.15rem; margin: 0 0 10px; }
h3 { font-size: 1rem; margin: 0 0 2px; }
.table-wrap + h3 { margin-top: 16px; }
section { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 16px; margin: 16px 0; }
.verdict { color: #fff; padding: 18px 0 16px; }
.verdict-passed { background: var(--pass); } .verdict-failed { background: var(--fail); }
.verdict-aborted { background: var(--warn); } .verdict-error { background: var(--err); }
.verdict-word { font-size: clamp(2.2rem, 7vw, 3.6rem); font-weight: 800; letter-spacing: .04em; line-height: 1.05; }
.verdict-reason { font-size: 1.1rem; margin-top: 4px; opacity: .95; }
.verdict h1 { margin-top: 8px; opacity: .95; overflow-wrap: anywhere; }
.verdict .kind { font-weight: 400; font-size: .9em; opacity: .85; }
.meta { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 230px), 1fr)); gap: 10px 20px; margin: 0; }
.meta div { min-width: 0; } .meta dt { color: var(--muted); font-size: .8rem; text-transform: uppercase; letter-spacing: .04em; }
.meta dd { margin: 0; overflow-wrap: anywhere; }
.description { color: var(--muted); margin: 12px 0 0; }
.alert { border: 2px solid var(--fail); background: #fef2f2; }
.alert strong.big { display: block; font-size: 1.25rem; color: var(--fail); }
.notes ul { margin: 0; padding-left: 20px; } .notes li { margin: 4px 0; overflow-wrap: anywhere; }
.table-wrap { overflow-x: auto; -webkit-overflow-scrolling: touch; }
table { border-collapse: collapse; width: 100%; font-size: .92rem; }
th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { color: var(--muted); font-weight: 600; font-size: .8rem; text-transform: uppercase; letter-spacing: .03em; white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.name { overflow-wrap: anywhere; min-width: 11em; }
tr.row-fail td { background: #fef2f2; } tr.row-skip td { color: var(--skip); } tr.row-mark td { background: #f0fdf4; font-weight: 600; }
td.over { color: var(--fail); font-weight: 600; }
.result { font-weight: 700; white-space: nowrap; }
.result-pass { color: var(--pass); } .result-fail { color: var(--fail); } .result-skip { color: var(--skip); }
.small { color: var(--muted); font-size: .85rem; }
.figures { display: flex; flex-wrap: wrap; gap: 12px 32px; margin: 0 0 12px; }
.figures div { min-width: 120px; } .figures dt { color: var(--muted); font-size: .8rem; } .figures dd { margin: 0; font-size: 1.3rem; font-weight: 600; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(min(100%, 540px), 1fr)); gap: 16px; }
.chart-card { min-width: 0; }
.chart { width: 100%; height: 300px; }
.budget { max-width: 640px; margin: 0 0 12px; } .budget p { margin: 8px 0 4px; }
.bar { height: 12px; background: var(--line); border-radius: 6px; overflow: hidden; }
.bar span { display: block; height: 100%; background: var(--pass); }
.bar-over span { background: var(--fail); }
ul.reasons { margin: 4px 0 0; padding-left: 18px; font-size: .85rem; }
.result-error { color: var(--err); } tr.row-error td { background: #faf5ff; }
.sev { display: inline-block; padding: 1px 7px; border-radius: 4px; font-size: .78rem; font-weight: 700; white-space: nowrap; color: #fff; }
.sev-critical { background: #7f1d1d; } .sev-high { background: var(--fail); } .sev-medium { background: var(--warn); }
.sev-low { background: #475569; } .sev-none { background: #94a3b8; }
.sev.sev-muted { background: none; color: var(--muted); border: 1px solid var(--line); font-weight: 600; }
code.check-id { white-space: nowrap; overflow-wrap: normal; }
details.evidence summary { cursor: pointer; overflow-wrap: anywhere; }
details.evidence[open] summary { margin-bottom: 6px; }
pre.http { margin: 4px 0; padding: 8px 10px; background: #f1f5f9; border-radius: 6px; font: .8rem/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; white-space: pre-wrap; overflow-wrap: anywhere; max-height: 24em; overflow-y: auto; }
pre.http-response { background: #fff7ed; }
.exchange + .exchange { margin-top: 10px; border-top: 1px dashed var(--line); padding-top: 6px; }
.no-charts .chart::before { content: "Charts need JavaScript; the tables hold the same figures."; color: var(--muted); }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .88em; overflow-wrap: anywhere; }
footer { color: var(--muted); font-size: .82rem; padding-bottom: 32px; }
footer dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 12px; margin: 0; }
footer dd { margin: 0; overflow-wrap: anywhere; }
@media (max-width: 640px) {
  main, .verdict-inner, footer { padding: 0 10px; }
  section { padding: 12px 10px; }
  .chart { height: 240px; }
  th, td { padding: 5px 6px; }
}
@media print {
  body { background: #fff; font-size: 10.5pt; }
  .verdict, tr.row-fail td, .alert, .sev { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  section { border: 0; padding: 8px 0; margin: 8px 0; }
  .charts { grid-template-columns: 1fr; }
  .chart-card, tr, .alert { break-inside: avoid; }
  h2 { break-after: avoid; }
  .table-wrap { overflow: visible; }
  table { font-size: 8.5pt; }
  td.name { min-width: 0; }
  th, td { padding: 3px 5px; }
}
`;
