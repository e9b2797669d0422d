import type { CheckContext, Evidence, Identity } from '../../security-check.ts';
import { defineCheck } from '../../security-check.ts';
import type { RequestTemplate } from '../../target-profile.ts';
import { Inconclusive, isAccepted, isRefused, noted, profileNeeds, sendTemplate, Verdicts } from '../../toolkit/index.ts';
import { sameJson } from './json-paths.ts';

/** Each operation costs up to six requests; a profile listing more than this is trimmed. */
const MAX_OPERATIONS = 10;

export const bflaAdminCheck = defineCheck({
  id: 'SEC-BFLA-01',
  title: 'Admin operations with a user token, and with none',
  owasp: 'API5',
  cwe: [285, 862, 863],
  cvss: { vector: 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:N', score: 8.1 },
  attackClass: 'authorization',
  provenBy: ['no-admin-check'],
  description:
    "Each admin operation of the profile is sent without a token (must be 401) and with userA's token (must be refused, 403), the target's state re-read as admin after each (a GET on the operation's path, for PUT, PATCH and DELETE), and finally sent as admin, the control that the operation is real. Fails on a 2xx to anonymous or to the user, or a state change after their attempts; an operation that fails for the admin too makes the check an error (it would prove nothing).",
  applies: (p) => profileNeeds(p, { operations: 'adminOperations' }, () => 'the profile lists no admin operations (profile.adminOperations)'),
  run,
});

async function run(ctx: CheckContext, { operations }: { readonly operations: readonly RequestTemplate[] }) {
  const obs = new Verdicts();
  const [userA, admin] = [await ctx.login('userA'), await ctx.login('admin')];
  for (const op of operations.slice(0, MAX_OPERATIONS)) {
    if (ctx.signal.aborted) break;
    const name = `${op.method} ${op.path}`;
    const hasState = op.method === 'PUT' || op.method === 'PATCH' || op.method === 'DELETE';
    const readState = async (): Promise<{ view: unknown; evidence: Evidence } | undefined> => {
      if (!hasState) return undefined;
      const r = await ctx.http.request({ method: 'GET', path: op.path, token: admin.token });
      return isAccepted(r.status) ? { view: r.json() ?? r.text, evidence: r.evidence } : undefined;
    };

    let before = await readState();
    for (const who of [undefined, userA] as const) {
      const label = who ? `as ${who.name}` : 'without a token';
      const res = await sendTemplate(ctx, op, { token: who?.token });
      if (isAccepted(res.status)) obs.finding(`${name} ${label} answered ${res.status}`, noted(res.evidence, 'admin operation accepted'));
      else if (!who && res.status !== 401 && res.status !== 403 && isRefused(res.status, 'route'))
        obs.saw(noted(res.evidence, `refused with ${res.status} (401 expected without a token)`));
      else if (isRefused(res.status, 'route')) obs.saw(noted(res.evidence, 'refused'));
      else obs.doubt(`${name} ${label} answered ${res.status || 'nothing'}`, res.evidence);

      const after = await readState();
      if (before && after && !sameJson(before.view, after.view))
        obs.finding(`${name} ${label} changed ${op.path}`, res.evidence, noted(before.evidence, 'before'), noted(after.evidence, 'after'));
      else if (before && !after && op.method === 'DELETE') obs.finding(`${name} ${label} deleted ${op.path}`, res.evidence);
      if (after) before = after;
    }
    await control(ctx, op, admin, obs);
  }
  return obs.outcome('every admin operation was refused without a token (401) and with a user token, and changed nothing; each works for the admin');
}

/** The admin's own attempt: if it fails too, the refusals above proved nothing. */
async function control(ctx: CheckContext, op: RequestTemplate, admin: Identity, obs: Verdicts): Promise<void> {
  const res = await sendTemplate(ctx, op, { token: admin.token });
  if (!isAccepted(res.status))
    throw new Inconclusive(`${op.method} ${op.path} answered ${res.status || 'nothing'} to the admin too: the profile's adminOperations entry is wrong`, [
      res.evidence,
    ]);
  obs.saw(noted(res.evidence, 'control: the admin may'));
}
