import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';

export interface InstantSample {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface RangeSeries {
  readonly labels: Readonly<Record<string, string>>;
  /** [epoch seconds, value] */
  readonly values: readonly (readonly [number, number])[];
}

interface PromResponse<T> {
  status: 'success' | 'error';
  data?: { resultType: string; result: T[] };
  error?: string;
}

/** The two Prometheus HTTP API calls the harness needs (instant and range queries). */
export class PrometheusClient {
  readonly baseUrl: string;
  private readonly timeoutMs: number;

  constructor(baseUrl: string, timeoutMs = 10_000) {
    this.baseUrl = baseUrl.replace(/\/$/, '');
    this.timeoutMs = timeoutMs;
  }

  private async get<T>(path: string, params: Record<string, string>): Promise<T[]> {
    const url = `${this.baseUrl}${path}?${new URLSearchParams(params).toString()}`;
    const res = await request(url, { headersTimeout: this.timeoutMs, bodyTimeout: this.timeoutMs });
    const body = (await res.body.json()) as PromResponse<T>;
    if (res.statusCode !== 200 || body.status !== 'success' || !body.data)
      throw new Error(`Prometheus ${path} failed (${res.statusCode}): ${body.error ?? 'no data'}`);
    return body.data.result;
  }

  async instant(query: string, atSec: number): Promise<InstantSample[]> {
    const result = await this.get<{ metric: Record<string, string>; value: [number, string] }>('/api/v1/query', { query, time: String(atSec) });
    return result.map((r) => ({ labels: r.metric, value: Number(r.value[1]) })).filter((s) => Number.isFinite(s.value));
  }

  async range(query: string, startSec: number, endSec: number, stepSec: number): Promise<RangeSeries[]> {
    const result = await this.get<{ metric: Record<string, string>; values: [number, string][] }>('/api/v1/query_range', {
      query,
      start: String(startSec),
      end: String(endSec),
      step: String(stepSec),
    });
    return result.map((r) => ({ labels: r.metric, values: r.values.map(([t, v]) => [t, Number(v)] as const).filter(([, v]) => Number.isFinite(v)) }));
  }

  /** Resolves once a scrape newer than `epochSec` has been ingested, so a window's last second is in. */
  async waitForScrapeAfter(epochSec: number, timeoutMs = 5_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const r = await this.instant('max(timestamp(up{job="gateway"}))', Date.now() / 1000).catch(() => []);
      if ((r[0]?.value ?? 0) >= epochSec) return;
      await sleep(250);
    }
  }

  /**
   * Resolves once every target has been scraped at least twice. A counter's first sample already
   * holds what happened before it, so increase() cannot see events from before a target's first
   * scrape: a platform that just became ready has targets not scraped yet. False on timeout.
   */
  async waitForEveryTargetScraped(timeoutMs = 10_000, signal?: AbortSignal): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline && !signal?.aborted) {
      const r = await this.instant('min(count_over_time(up[5m]))', Date.now() / 1000).catch(() => []);
      if ((r[0]?.value ?? 0) >= 2) return true;
      await sleep(250);
    }
    return false;
  }
}
