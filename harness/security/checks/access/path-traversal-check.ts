import type { CheckContext } from '../../security-check.ts';
import { defineCheck } from '../../security-check.ts';
import { Inconclusive, needsNothing, noted, Verdicts } from '../../toolkit/index.ts';

/**
 * Ways to say "parent directory" that survive the client and the edge: an unencoded `../` (or
 * `%2e%2e/`) is folded away by the URL parser before it leaves, so the slash is always encoded.
 */
const STEPS = [
  { name: 'encoded slash', up: '..%2f' },
  { name: 'encoded dots and slash', up: '%2e%2e%2f' },
  { name: 'double-encoded slash', up: '..%252f' },
  { name: 'double-encoded dots and slash', up: '%252e%252e%252f' },
  { name: 'encoded backslash', up: '..%5c' },
  { name: 'nested dots (stripped once)', up: '....%2f%2f' },
] as const;

/** Where static files are commonly mounted. */
const PREFIXES = ['/', '/static/'] as const;

/** /etc/passwd is at the root, so going up too far is harmless: the walk stops at /. */
const ROOT_DEPTH = 12;
/** The application's own files sit a few levels above its web root. */
const APP_DEPTHS = [1, 2, 3, 4, 5, 6] as const;

const PASSWD = /root:[^:\n]*:0:0:/;

export const pathTraversalCheck = defineCheck({
  id: 'SEC-INJ-03',
  title: 'Path traversal out of the static web root',
  owasp: 'API8',
  cwe: [22, 23],
  cvss: { vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N', score: 7.5 },
  attackClass: 'injection',
  provenBy: ['path-traversal'],
  description:
    "Asks for files outside the web root through static paths (/ and /static/) with parent-directory steps encoded six ways (%2f, %2e%2e%2f, double encoding, %5c backslash, nested dots): /etc/passwd 12 levels up, and package.json 1 to 6 levels up (the application's own manifest), about 48 requests. Passes when nothing outside the web root comes back; fails when an answer carries /etc/passwd's root line or a Node package manifest (name plus dependencies or scripts).",
  applies: needsNothing,
  run,
});

async function run(ctx: CheckContext) {
  const obs = new Verdicts();
  const home = await ctx.http.request({ method: 'GET', path: '/' });
  if (home.status === 0) throw new Inconclusive('the target did not answer GET /', [home.evidence]);
  obs.saw(noted(home.evidence, 'the web root'));

  const probes: { path: string; file: 'passwd' | 'package.json' }[] = [];
  for (const prefix of PREFIXES) {
    for (const s of STEPS) probes.push({ path: `${prefix}${s.up.repeat(ROOT_DEPTH)}etc%2fpasswd`, file: 'passwd' });
    for (const s of STEPS.slice(0, 3)) for (const d of APP_DEPTHS) probes.push({ path: `${prefix}${s.up.repeat(d)}package.json`, file: 'package.json' });
  }
  let unanswered = 0;
  for (const p of probes) {
    if (ctx.signal.aborted) break;
    const res = await ctx.http.request({ method: 'GET', path: p.path });
    if (res.status === 0) unanswered++;
    const leak =
      p.file === 'passwd' ? PASSWD.test(res.text) && 'root entry of /etc/passwd' : isPackageManifest(res.text) && `a package manifest${manifestName(res.text)}`;
    if (leak) obs.finding(`GET ${p.path} answered ${res.status} with ${leak}`, noted(res.evidence, `outside the web root: ${leak}`));
  }
  // A target that stopped answering mid-way has not shown it is safe.
  if (unanswered > 0 && !obs.hasFindings) obs.doubt(`${unanswered} of ${probes.length} traversal requests got no answer`);
  return obs.outcome(
    `none of ${probes.length} traversal requests (${STEPS.length} encodings, prefixes ${PREFIXES.join(' ')}) returned a file outside the web root`,
  );
}

function isPackageManifest(text: string): boolean {
  try {
    const j = JSON.parse(text) as Record<string, unknown>;
    return typeof j['name'] === 'string' && ['dependencies', 'devDependencies', 'scripts'].some((k) => typeof j[k] === 'object' && j[k] !== null);
  } catch {
    return false;
  }
}

function manifestName(text: string): string {
  const name = (JSON.parse(text) as { name?: string }).name;
  return name ? ` ('${name}')` : '';
}
