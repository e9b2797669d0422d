import type { Tags } from './worker-protocol.ts';

/** Canonical identity of a tag set (order-independent), used to find and merge series. */
export function tagKey(tags: Tags): string {
  return JSON.stringify(
    Object.keys(tags)
      .sort()
      .map((k) => [k, tags[k]]),
  );
}
