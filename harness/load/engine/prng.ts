/**
 * A seeded uniform generator in [0, 1): sfc32 (passes PractRand, 4 words of state), its state
 * spread from (seed, stream) by splitmix32 so neighbouring VU ids get unrelated sequences.
 * Node has no seedable generator; Math.random() would make flows unreproducible.
 */
export function createPrng(seed: number, stream: number): () => number {
  let s = (seed ^ Math.imul(stream, 0x9e3779b9)) >>> 0;
  const next = (): number => {
    s = (s + 0x9e3779b9) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = next();
  let b = next();
  let c = next();
  let d = next();
  return () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}
