import type { CheckContext, Identity } from '../../security-check.ts';
import { defineCheck } from '../../security-check.ts';
import type { RequestTemplate, TargetProfile } from '../../target-profile.ts';
import { applicable, isAccepted, isRefused, notApplicable, noted, sendTemplate, Verdicts } from '../../toolkit/index.ts';
import { sameJson } from './json-paths.ts';
import { createOwned } from './owned-object.ts';

type Method = RequestTemplate['method'];
const SWAPS: readonly Method[] = ['DELETE', 'PUT', 'PATCH'];
/** Up to 5 requests per route. */
const MAX_ROUTES = 8;

interface SwapTarget {
  /** A GET route, filled. */
  readonly path: string;
  readonly why: string;
  /** Bodies for PUT and PATCH: what the profile sends there, when it sends anything. */
  readonly bodies: Partial<Record<Method, unknown>>;
  /** Methods the profile says this user may use on this route (their own object's update/delete). */
  readonly allowed: readonly Method[];
}

export const bflaMethodSwapCheck = defineCheck({
  id: 'SEC-BFLA-02',
  title: 'Method swap on read-only routes',
  owasp: 'API5',
  cwe: [285],
  cvss: { vector: 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:N', score: 8.1 },
  attackClass: 'authorization',
  provenBy: ['no-admin-check'],
  description:
    "The profile's GET routes (self, protected probe, userA's own objects, and the paths of admin operations, which anyone may read) are sent as userA with DELETE, PUT and PATCH (with the body the profile uses there, so a missing check is not hidden behind a 400), re-reading the route before and after. Passes when every swapped method is refused with a 4xx (405 with Allow, 404 or 403) and the route reads the same; fails on a 2xx or a change. Methods the profile grants the owner on its own object are left out.",
  applies: (p) => {
    const targets = targetsOf(p);
    const resources = p.resources ?? [];
    return targets.length > 0 || resources.length > 0
      ? applicable({ targets, resources })
      : notApplicable(
          ['self', 'protectedProbe', 'resources', 'adminOperations'],
          'the profile has no GET route to swap (profile.self, profile.protectedProbe, profile.resources, profile.adminOperations)',
        );
  },
  run,
});

/** Routes known without creating anything. */
function targetsOf(p: TargetProfile): SwapTarget[] {
  const out = new Map<string, SwapTarget>();
  const add = (t: SwapTarget): void => void (out.has(t.path) || out.set(t.path, t));
  for (const op of p.adminOperations ?? []) {
    if (op.method === 'GET' || op.method === 'POST' || op.path.includes('{')) continue;
    add({ path: op.path, why: `admin operation ${op.method} ${op.path}`, bodies: op.body !== undefined ? { PUT: op.body, PATCH: op.body } : {}, allowed: [] });
  }
  for (const [t, why] of [
    [p.self?.read, 'self'],
    [p.protectedProbe, 'protected probe'],
  ] as const) {
    if (t?.method === 'GET' && !t.path.includes('{')) add({ path: t.path, why, bodies: {}, allowed: [] });
  }
  return [...out.values()];
}

async function run(ctx: CheckContext, needs: { readonly targets: readonly SwapTarget[]; readonly resources: NonNullable<TargetProfile['resources']> }) {
  const obs = new Verdicts();
  const userA = await ctx.login('userA');
  const targets = [...needs.targets];
  for (const r of needs.resources) {
    if (r.read.method !== 'GET' || targets.length >= MAX_ROUTES) continue;
    const owned = await createOwned(ctx, r.name, r.create, r.idField, userA, r.list);
    const path = r.read.path.replace('{id}', encodeURIComponent(owned.id));
    const allowed = [r.update, r.delete].filter((t): t is RequestTemplate => t !== undefined && t.path === r.read.path).map((t) => t.method);
    targets.push({ path, why: `userA's own ${r.name}`, bodies: r.update ? { PUT: r.update.body ?? {}, PATCH: r.update.body ?? {} } : {}, allowed });
  }
  for (const t of targets.slice(0, MAX_ROUTES)) {
    if (ctx.signal.aborted) break;
    await swap(ctx, obs, t, userA);
  }
  return obs.outcome('every GET route refused DELETE, PUT and PATCH from a user with a 4xx and read the same afterwards');
}

async function swap(ctx: CheckContext, obs: Verdicts, t: SwapTarget, who: Identity): Promise<void> {
  const before = await ctx.http.request({ method: 'GET', path: t.path, token: who.token });
  const readable = isAccepted(before.status);
  for (const method of SWAPS.filter((m) => !t.allowed.includes(m))) {
    const body = method === 'DELETE' ? undefined : (t.bodies[method] ?? {});
    const res = await sendTemplate(ctx, { method, path: t.path, ...(body !== undefined ? { body } : {}) }, { token: who.token });
    const what = `${method} ${t.path} (${t.why}) as ${who.name}`;
    if (isAccepted(res.status))
      obs.finding(`${what} answered ${res.status}`, noted(before.evidence, 'GET before'), noted(res.evidence, 'swapped method accepted'));
    else if (isRefused(res.status, 'route')) {
      const allow = res.headers['allow'];
      obs.saw(noted(res.evidence, `refused${res.status === 405 && allow ? ` (Allow: ${String(allow)})` : ''}`));
    } else obs.doubt(`${what} answered ${res.status || 'nothing'}`, res.evidence);
  }
  if (!readable) return;
  const after = await ctx.http.request({ method: 'GET', path: t.path, token: who.token });
  if (!isAccepted(after.status))
    obs.finding(
      `after DELETE/PUT/PATCH as ${who.name}, GET ${t.path} answers ${after.status}`,
      noted(before.evidence, 'before'),
      noted(after.evidence, 'after: gone'),
    );
  else if (!sameJson(before.json() ?? before.text, after.json() ?? after.text))
    obs.finding(`after DELETE/PUT/PATCH as ${who.name}, ${t.path} changed`, noted(before.evidence, 'before'), noted(after.evidence, 'after: changed'));
}
