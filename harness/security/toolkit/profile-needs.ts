import type { Applicability } from '../security-check.ts';
import type { TargetProfile } from '../target-profile.ts';
import { valueAt } from './dot-path.ts';

/** A list with at least one element: what a check gets for a list it needs. */
export type NonEmpty<T> = readonly [T, ...T[]];

export const isNonEmpty = <T>(xs: readonly T[]): xs is NonEmpty<T> => xs.length > 0;

type Defined<T> = NonNullable<T>;

/** Dot paths into the profile's objects (not into its lists): 'protectedProbe', 'auth.jwksPath', 'graphql.limits.depth'. */
type PathsOf<T> = {
  [K in keyof T & string]: K | (Defined<T[K]> extends readonly unknown[] ? never : Defined<T[K]> extends object ? `${K}.${PathsOf<Defined<T[K]>>}` : never);
}[keyof T & string];

export type ProfilePath = PathsOf<TargetProfile>;

/** The type of the profile's field at a dot path, as declared (optional fields may be undefined). */
type ValueAt<T, P extends string> = P extends `${infer H}.${infer R}`
  ? H extends keyof T
    ? ValueAt<Defined<T[H]>, R>
    : never
  : P extends keyof T
    ? T[P]
    : never;

/** A field as a check gets it once found: never undefined or null, a list never empty. */
export type Found<T> = T extends readonly (infer E)[] ? NonEmpty<E> : Exclude<T, undefined | null>;

export type NeedsOf<W extends Readonly<Record<string, ProfilePath>>> = { readonly [K in keyof W]: Found<ValueAt<TargetProfile, W[K]>> };

const absent = (v: unknown): boolean => v === undefined || v === null || (Array.isArray(v) && v.length === 0);

export const applicable = <N>(needs: N): Applicability<N> => ({ ok: true, needs });

export const notApplicable = (missing: readonly string[], reason: string): Applicability<never> => ({ ok: false, missing, reason });

/** For a check that needs nothing from the profile beyond its base URL, login and users. */
export const needsNothing = (): Applicability<Record<never, never>> => applicable({});

/** The surface checks' reason: 'the profile does not give profile.graphql.path, profile.graphql.limits.depth'. */
export const notGiven = (missing: readonly string[]): string => `the profile does not give ${missing.map((m) => `profile.${m}`).join(', ')}`;

/**
 * The fields a check needs, read from the profile at their dot paths and typed: each must be there
 * (not undefined or null, a list not empty). When some are not, the check is not applicable and
 * `reason` says why; a missing field whose own field is named missing too is left to it (no
 * 'graphql' beside 'graphql.loginMutation').
 */
export function profileNeeds<const W extends Readonly<Record<string, ProfilePath>>>(
  profile: TargetProfile,
  wanted: W,
  reason: (missing: readonly W[keyof W][]) => string = notGiven,
): Applicability<NeedsOf<W>> {
  const found: Record<string, unknown> = {};
  const gaps: W[keyof W][] = [];
  for (const [name, path] of Object.entries(wanted) as [string, W[keyof W]][]) {
    const v = valueAt(profile, path);
    if (absent(v)) gaps.push(path);
    else found[name] = v;
  }
  const missing = gaps.filter((p) => !gaps.some((q) => q.startsWith(`${p}.`)));
  // Every wanted field was read and found above: the record is the mapped type.
  return missing.length > 0 ? notApplicable(missing, reason(missing)) : applicable(found as NeedsOf<W>);
}
