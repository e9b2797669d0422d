import type { CheckContext, Evidence } from '../../security-check.ts';
import { defineCheck } from '../../security-check.ts';
import type { TargetProfile } from '../../target-profile.ts';
import { applicable, isAccepted, notApplicable, noted, sendTemplate, Verdicts } from '../../toolkit/index.ts';
import { findHashLikeValues, findKeys } from './json-paths.ts';
import { createOwned } from './owned-object.ts';

const MAX_RESOURCES = 5;

export const excessiveExposureCheck = defineCheck({
  id: 'SEC-PROP-01',
  title: 'Excessive data exposure in representations',
  owasp: 'API3',
  cwe: [213],
  cvss: { vector: 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:N/A:N', score: 6.5 },
  attackClass: 'exposure',
  provenBy: ['excessive-exposure'],
  description:
    "Reads the user's own representation (profile.self) as userA and as the admin, and each resource as its owner (userA creates one), and searches every answer, at any depth, for the forbidden fields (the self list applies to resources too: a user's secrets belong in no representation) and for values shaped like password hashes. Passes when none appear; fails naming the field and where it was.",
  applies: (p) =>
    p.self?.forbiddenFields.length || p.resources?.some((r) => r.forbiddenFields?.length)
      ? applicable({ self: p.self, resources: p.resources ?? [] })
      : notApplicable(
          ['self.forbiddenFields', 'resources.forbiddenFields'],
          'the profile lists no forbidden fields (profile.self.forbiddenFields, profile.resources[].forbiddenFields)',
        ),
  run,
});

async function run(
  ctx: CheckContext,
  { self, resources }: { readonly self: TargetProfile['self']; readonly resources: NonNullable<TargetProfile['resources']> },
) {
  const obs = new Verdicts();
  const selfFields = self?.forbiddenFields ?? [];
  const userA = await ctx.login('userA');
  if (self) {
    for (const who of [userA, await ctx.login('admin')]) {
      const res = await sendTemplate(ctx, self.read, { token: who.token });
      inspect(obs, `${self.read.method} ${self.read.path} as ${who.name}`, res, selfFields);
    }
  }
  for (const r of resources.slice(0, MAX_RESOURCES)) {
    if (ctx.signal.aborted) break;
    const fields = [...new Set([...(r.forbiddenFields ?? []), ...selfFields])];
    if (fields.length === 0) continue;
    const owned = await createOwned(ctx, r.name, r.create, r.idField, userA, r.list);
    // A create answering no body (the id in its Location header) shows no representation to judge.
    if (owned.body !== undefined)
      inspect(obs, `creating a ${r.name} as userA`, { status: owned.created.status, json: () => owned.body, evidence: owned.created }, fields);
    const res = await sendTemplate(ctx, r.read, { values: { id: owned.id }, token: userA.token });
    inspect(obs, `${r.read.method} ${r.name} ${owned.id} as userA`, res, fields);
  }
  return obs.outcome('no forbidden field and no hash-like value in any representation read');
}

interface Answer {
  readonly status: number;
  json(): unknown;
  readonly evidence: Evidence;
}

function inspect(obs: Verdicts, what: string, res: Answer, fields: readonly string[]): void {
  if (!isAccepted(res.status)) return obs.doubt(`${what} answered ${res.status || 'nothing'}`, res.evidence);
  const json = res.json();
  if (json === undefined) return obs.doubt(`${what} is not JSON`, res.evidence);
  const found = [...findKeys(json, fields), ...findHashLikeValues(json).map((p) => `${p} (a password hash)`)];
  if (found.length > 0) obs.finding(`${what} exposes ${found.join(', ')}`, noted(res.evidence, `forbidden: ${found.join(', ')}`));
  else obs.saw(noted(res.evidence, 'no forbidden field'));
}
