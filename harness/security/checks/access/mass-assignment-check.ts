import type { CheckContext, Identity } from '../../security-check.ts';
import { defineCheck } from '../../security-check.ts';
import type { TargetProfile } from '../../target-profile.ts';
import {
  createdId,
  expandTemplate,
  idPlaces,
  Inconclusive,
  isAccepted,
  isRefused,
  noted,
  profileNeeds,
  sendTemplate,
  valueAt,
  Verdicts,
} from '../../toolkit/index.ts';
import { sameJson, withoutPath } from './json-paths.ts';

type Entry = NonNullable<TargetProfile['massAssignment']>[number];
const MAX_ENTRIES = 5;

export const massAssignmentCheck = defineCheck({
  id: 'SEC-PROP-02',
  title: 'Mass assignment of fields the client must not set',
  owasp: 'API3',
  cwe: [915],
  cvss: { vector: 'CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:N', score: 8.1 },
  attackClass: 'exposure',
  provenBy: ['mass-assignment'],
  description:
    'For each mass-assignment entry, userA sends the create request carrying the forbidden field, then reads the created object back. Passes when the request is refused (4xx; the same request without the field is then sent as the control that the refusal is about the field) or when the read-back field does not hold the injected value; fails when it does.',
  applies: (p) => profileNeeds(p, { entries: 'massAssignment' }, () => 'the profile has no mass-assignment inputs (profile.massAssignment)'),
  run,
});

async function run(ctx: CheckContext, { entries }: { readonly entries: readonly Entry[] }) {
  const obs = new Verdicts();
  const userA = await ctx.login('userA');
  for (const entry of entries.slice(0, MAX_ENTRIES)) {
    if (ctx.signal.aborted) break;
    await attempt(ctx, obs, entry, userA);
  }
  return obs.outcome('every injected field was refused or ignored (the read-back does not hold the injected value)');
}

async function attempt(ctx: CheckContext, obs: Verdicts, entry: Entry, who: Identity): Promise<void> {
  const req = expandTemplate(entry.create);
  const res = await sendTemplate(ctx, req, { token: who.token });
  const what = `${entry.name}: ${entry.create.method} ${entry.create.path} with ${entry.field} = ${JSON.stringify(entry.injected)}`;
  if (isRefused(res.status, 'route')) {
    obs.saw(noted(res.evidence, 'refused with the injected field'));
    return controlWithoutField(ctx, obs, entry, who, res.evidence);
  }
  if (!isAccepted(res.status)) return obs.doubt(`${what} answered ${res.status || 'nothing'}`, res.evidence);
  const found = createdId(res, entry.idField);
  if (found === undefined) throw new Inconclusive(`${what} answered ${res.status} without an id in ${idPlaces(entry.idField)}`, [res.evidence]);
  const { id } = found;

  const back = await sendTemplate(ctx, entry.readBack, { values: { id }, token: who.token });
  if (!isAccepted(back.status)) return obs.doubt(`reading ${entry.name} ${id} back answered ${back.status || 'nothing'}`, res.evidence, back.evidence);
  const held = valueAt(back.json(), entry.field);
  if (sameJson(held, entry.injected))
    obs.finding(
      `${what} was accepted (${res.status}) and ${entry.field} reads back ${JSON.stringify(held)}`,
      noted(res.evidence, 'created with the injected field'),
      noted(back.evidence, `${entry.field} holds the injected value`),
    );
  else obs.saw(noted(res.evidence, 'accepted'), noted(back.evidence, `${entry.field} is ${held === undefined ? 'absent' : JSON.stringify(held)}: ignored`));
}

/**
 * A refusal only counts if the request without the field goes through: otherwise the create is
 * broken (out of stock, a wrong profile) and the refusal says nothing about the field.
 */
async function controlWithoutField(ctx: CheckContext, obs: Verdicts, entry: Entry, who: Identity, refused: { status: number }): Promise<void> {
  const stripped = withoutPath(entry.create.body, entry.field);
  if (!stripped.removed) return;
  const res = await sendTemplate(ctx, { ...entry.create, body: stripped.value }, { token: who.token });
  if (isAccepted(res.status)) obs.saw(noted(res.evidence, 'control: accepted without the injected field'));
  else
    throw new Inconclusive(
      `${entry.name}: refused with the field (${refused.status}) and without it (${res.status || 'nothing'}): the profile's create request does not work`,
      [res.evidence],
    );
}
