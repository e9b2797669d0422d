/**
 * Every sample of one series, kept as 8-byte floats in fixed-size chunks: exact percentiles need
 * them all (k6 keeps all of a Trend's samples too), and chunks grow without the copy and the up to
 * 2x slack of a doubling array.
 */
export class SampleStore {
  private static readonly CHUNK = 16_384;
  private readonly chunks: Float64Array[] = [];
  private used = SampleStore.CHUNK;
  private total = 0;

  get count(): number {
    return this.total;
  }

  push(value: number): void {
    if (this.used === SampleStore.CHUNK) {
      this.chunks.push(new Float64Array(SampleStore.CHUNK));
      this.used = 0;
    }
    this.chunks[this.chunks.length - 1]![this.used++] = value;
    this.total += 1;
  }

  /** The samples in ascending order, in a new array (the store keeps its own). */
  sorted(): Float64Array {
    const out = new Float64Array(this.total);
    let at = 0;
    for (const chunk of this.chunks) {
      const n = Math.min(chunk.length, this.total - at);
      out.set(n === chunk.length ? chunk : chunk.subarray(0, n), at);
      at += n;
    }
    // A typed array sorts numerically (no string comparison), as Go's sort.Float64s does.
    return out.sort();
  }
}
