/**
 * Compile-time checks that a hand-written type and a zod schema's input type describe the same
 * values. The scenario's public types are written by hand (they carry the JSDoc users' editors show
 * and the generic `data` type of flows, which zod's inferred types lose) and tied to the schema
 * with `SameShape`, so the two cannot drift: a field added, removed, retyped or made optional on
 * one side only fails `tsc`.
 */

/**
 * The shape a value must have, without what does not change which values fit: `readonly`,
 * intersections (flattened), `undefined` in an optional field, and function signatures (the schema
 * checks only that a function is there).
 */
export type Shape<T> = T extends (...args: never[]) => unknown
  ? 'function'
  : T extends readonly unknown[]
    ? number extends T['length']
      ? Shape<T[number]>[]
      : { -readonly [K in keyof T]: Shape<T[K]> }
    : T extends object
      ? { -readonly [K in keyof T]: Shape<Exclude<T[K], undefined>> }
      : T;

/** Exactly equal types (not merely assignable either way: an optional field on one side only is a difference). */
export type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;

export type SameShape<A, B> = Equal<Shape<A>, Shape<B>>;

/** Compiles only with `true`: `const _tie: Assert<SameShape<A, B>> = true`. */
export type Assert<T extends true> = T;
