/**
 * Freezes an object or array and everything in it, so a resolved scenario cannot be changed by
 * whoever reads it. Functions (a scenario's flows and data()) are code, not data: left as they are.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
