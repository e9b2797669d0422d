// Prints the check table of docs/security.md from the catalogue (paste it between the markers):
//   node scripts/security-check-table.ts
import { CHECKS } from '../harness/security/catalogue.ts';
import { severityOf } from '../harness/security/security-check.ts';

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
console.log('| id | OWASP | title | CWE | severity (CVSS 3.1) | class | proven by switch |');
console.log('|---|---|---|---|---|---|---|');
for (const c of CHECKS) {
  console.log(
    `| ${c.id} <a id="${c.id}"></a> | ${c.owasp} | ${cell(c.title)} | ${c.cwe.map((n) => `CWE-${n}`).join(', ')} | ${severityOf(c.cvss.score)} (${c.cvss.score}) | ${c.attackClass} | ${c.provenBy.map((s) => `\`${s}\``).join(', ')} |`,
  );
}
