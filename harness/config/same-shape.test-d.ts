// Type tests of the tie between the scenario's hand-written types and its schema, checked by
// `tsc --noEmit` (not run by node): each @ts-expect-error must meet an error, so a SameShape that
// stopped telling drift apart would fail the type check.
import { z } from 'zod';
import type { Assert, SameShape } from './same-shape.ts';

type Options = { readonly name: string; readonly every?: number; readonly tags?: readonly string[]; readonly run: (x: number) => Promise<void> };

// What does not change which values fit is not a difference: readonly, intersections, signatures.
type _Same = Assert<SameShape<Options, { name: string } & { every?: number | undefined; tags?: string[]; run: (...args: never[]) => unknown }>>;

// @ts-expect-error a field only the schema has, even optional
type _ExtraOptional = Assert<SameShape<Options, Options & { extra?: string }>>;
// @ts-expect-error a field only the hand-written type has
type _Missing = Assert<SameShape<Options, Omit<Options, 'every'>>>;
// @ts-expect-error optional on one side, required on the other
type _Required = Assert<SameShape<Options, Omit<Options, 'every'> & { every: number }>>;
// @ts-expect-error another type
type _Retyped = Assert<SameShape<Options, Omit<Options, 'every'> & { every?: string }>>;
// @ts-expect-error a function where the schema has data
type _NotAFunction = Assert<SameShape<Options, Omit<Options, 'run'> & { run: string }>>;

// The same with zod's inferred input types, as the scenario tie uses them.
const _schema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('load'), name: z.string() }),
  z.strictObject({ kind: z.literal('soak'), name: z.string(), soak: z.strictObject({ every: z.number().optional() }).optional() }),
]);
type Input = { readonly kind: 'load'; readonly name: string } | { readonly kind: 'soak'; readonly name: string; readonly soak?: { readonly every?: number } };
type _Zod = Assert<SameShape<Input, z.input<typeof _schema>>>;
type Flat = { readonly kind: 'load' | 'soak'; readonly name: string; readonly soak?: { readonly every?: number } };
// @ts-expect-error soak allowed on kind load by the type only (one flat type for both kinds)
type _ZodFlat = Assert<SameShape<Flat, z.input<typeof _schema>>>;
type LoadWithSoak = { readonly kind: 'load'; readonly name: string; readonly soak?: { readonly every?: number } };
// @ts-expect-error soak allowed on kind load by the type only (one more union member)
type _ZodMisplaced = Assert<SameShape<Input | LoadWithSoak, z.input<typeof _schema>>>;
