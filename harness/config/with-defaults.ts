/**
 * The defaults, overridden layer by layer by every option that is set: an option given as
 * `undefined` (which the schema accepts for an optional field) keeps its default, where a spread
 * would erase it.
 */
export function withDefaults<T extends object>(defaults: Required<NoInfer<T>>, ...layers: readonly (T | undefined)[]): Required<T> {
  const out: Record<string, unknown> = { ...defaults };
  for (const layer of layers) for (const [key, value] of Object.entries(layer ?? {})) if (value !== undefined) out[key] = value;
  return out as Required<T>;
}
