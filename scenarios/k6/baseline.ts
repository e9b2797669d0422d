/**
 * Baseline: product reads at a constant arrival rate (open model), ids drawn from a Zipf
 * distribution (a few products hot, most cold), judged on the roadmap's SLOs: p95 < 200 ms,
 * error rate < 1 %, no dropped iterations. `cache_hit` is a Rate from the x-cache header.
 *   k6 run -e BASE_URL=http://127.0.0.1:7300 -e RATE=50 -e DURATION=1m scenarios/k6/baseline.ts
 */
import http from 'k6/http';
import { check } from 'k6';
import { Rate } from 'k6/metrics';
import type { Options } from 'k6/options';
import { baseUrl, crucibleOptions } from './lib/crucible.ts';

export { handleSummary } from './lib/crucible.ts';

const RATE = Number(__ENV['RATE'] ?? 50);
const PRODUCTS = Number(__ENV['PRODUCTS'] ?? 10_000);

export const options: Options = crucibleOptions({
  // Only the x-cache header is read: bodies are dropped as they arrive.
  discardResponseBodies: true,
  scenarios: {
    baseline: {
      executor: 'constant-arrival-rate',
      rate: RATE,
      timeUnit: '1s',
      duration: __ENV['DURATION'] ?? '1m',
      preAllocatedVUs: Math.max(10, Math.ceil(RATE / 5)),
      maxVUs: Math.max(50, RATE * 2),
      gracefulStop: '10s',
    },
  },
  thresholds: {
    http_req_duration: ['p(95)<200'],
    http_req_failed: ['rate<0.01'],
    // An open model that drops iterations did not deliver its rate (no coordinated omission, but no load either).
    dropped_iterations: ['count==0'],
  },
});

const BASE = baseUrl();
const cacheHit = new Rate('cache_hit');

/** Cumulative Zipf(s = 1) weights over ranks 1..PRODUCTS, built once per VU in the init context. */
const CDF = (() => {
  const cdf = new Float64Array(PRODUCTS);
  let sum = 0;
  for (let k = 1; k <= PRODUCTS; k++) cdf[k - 1] = sum += 1 / k;
  for (let i = 0; i < PRODUCTS; i++) cdf[i] = cdf[i]! / sum;
  return cdf;
})();

/** A product id: rank 1 (id 1) is the hottest. */
function zipfId(): number {
  const u = Math.random();
  let lo = 0;
  let hi = PRODUCTS - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (CDF[mid]! < u) lo = mid + 1;
    else hi = mid;
  }
  return lo + 1;
}

export default function baseline(): void {
  const res = http.get(`${BASE}/api/products/${zipfId()}`, { tags: { name: 'product' } });
  check(res, { 'product is 200': (r) => r.status === 200 });
  const xcache = res.headers['X-Cache'] ?? res.headers['x-cache'];
  if (xcache !== undefined) cacheHit.add(xcache === 'hit');
}
