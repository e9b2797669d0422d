import { Toxiproxy } from 'toxiproxy-node-client';
import type { ToxicType } from '../config/fault-spec.ts';

export interface ToxicInfo {
  readonly name: string;
  readonly type: string;
  readonly stream: 'upstream' | 'downstream';
  readonly toxicity: number;
  readonly attributes: Readonly<Record<string, number>>;
}

export interface ProxyInfo {
  readonly name: string;
  readonly enabled: boolean;
}

export interface NewToxic {
  readonly name: string;
  readonly type: ToxicType;
  readonly stream: 'upstream' | 'downstream';
  readonly toxicity: number;
  readonly attributes: Readonly<Record<string, number>>;
}

/** A Toxiproxy API answer other than success, with the status the caller branches on. */
class ToxiproxyApiError extends Error {
  readonly status: number | undefined;

  constructor(message: string, status: number | undefined, opts: { cause?: unknown } = {}) {
    super(message, opts);
    this.name = 'ToxiproxyApiError';
    this.status = status;
  }
}

const TIMEOUT_MS = 5_000;

/**
 * Toxiproxy's API as the faults use it. toxiproxy-node-client (4.1.0) does the calls it does well:
 * listing proxies, creating a toxic, reset, version. Three calls bypass it and use fetch directly:
 * - listing a proxy's toxics (`GET /proxies/{p}/toxics`): the client has no such method and drops
 *   the `toxics` array of a proxy;
 * - enabling or disabling a proxy (`PATCH /proxies/{p}`): the client only POSTs, with a body that
 *   must repeat `listen` and `upstream`;
 * - removing a toxic (`DELETE`): removal must be idempotent (404 = already gone), and the client
 *   turns every non-2xx into an Error whose only trace of the status is its message text.
 * Where the client is used, its errors are mapped back to a status by parsing that message.
 */
export class ToxiproxyApi {
  readonly url: string;
  private readonly client: Toxiproxy;

  constructor(url: string) {
    this.url = url.replace(/\/+$/, '');
    this.client = new Toxiproxy(this.url);
  }

  async version(): Promise<string> {
    const raw = await this.viaClient('GET /version', () => this.client.getVersion());
    try {
      return (JSON.parse(raw) as { version: string }).version;
    } catch {
      return raw.trim();
    }
  }

  async proxies(): Promise<ProxyInfo[]> {
    const all = await this.viaClient('GET /proxies', () => this.client.getAll());
    return Object.values(all)
      .map((p) => ({ name: p.name, enabled: p.enabled }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  async toxics(proxy: string): Promise<ToxicInfo[]> {
    const res = await this.direct('GET', `/proxies/${encodeURIComponent(proxy)}/toxics`);
    return (await res.json()) as ToxicInfo[];
  }

  /**
   * Adds a toxic; a toxic of the same name already there (409: a crashed earlier attempt with the
   * same fault id, whose undo is this fault's undo) is replaced, so injecting twice is harmless.
   */
  async addToxic(proxy: string, toxic: NewToxic): Promise<void> {
    const p = await this.viaClient(`GET /proxies/${proxy}`, () => this.client.get(proxy));
    const body = { ...toxic, attributes: { ...toxic.attributes } };
    try {
      await this.viaClient(`POST /proxies/${proxy}/toxics`, () => p.addToxic(body));
    } catch (err) {
      if (!(err instanceof ToxiproxyApiError) || err.status !== 409) throw err;
      await this.removeToxic(proxy, toxic.name);
      await this.viaClient(`POST /proxies/${proxy}/toxics`, () => p.addToxic(body));
    }
  }

  /** Removes a toxic; true if it was there, false if it (or its proxy) was already gone. */
  async removeToxic(proxy: string, toxic: string): Promise<boolean> {
    const res = await this.direct('DELETE', `/proxies/${encodeURIComponent(proxy)}/toxics/${encodeURIComponent(toxic)}`, { allow404: true });
    return res.status !== 404;
  }

  async setEnabled(proxy: string, enabled: boolean): Promise<void> {
    await this.direct('PATCH', `/proxies/${encodeURIComponent(proxy)}`, { body: { enabled } });
  }

  /** Every proxy enabled and every toxic removed, for all users of this Toxiproxy. */
  async reset(): Promise<void> {
    await this.viaClient('POST /reset', () => this.client.reset());
  }

  private async direct(method: string, path: string, opts: { body?: unknown; allow404?: boolean } = {}): Promise<Response> {
    let res: Response;
    try {
      res = await fetch(`${this.url}${path}`, {
        method,
        signal: AbortSignal.timeout(TIMEOUT_MS),
        ...(opts.body !== undefined ? { body: JSON.stringify(opts.body), headers: { 'content-type': 'application/json' } } : {}),
      });
    } catch (err) {
      throw new ToxiproxyApiError(`${method} ${this.url}${path}: ${(err as Error).message}`, undefined, { cause: err });
    }
    if (res.ok || (opts.allow404 && res.status === 404)) return res;
    const text = await res.text().catch(() => '');
    const detail = safeError(text);
    throw new ToxiproxyApiError(`${method} ${this.url}${path} answered ${res.status}${detail ? ` (${detail})` : ''}`, res.status);
  }

  private async viaClient<T>(what: string, call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (err) {
      // The client's ToxiproxyError keeps the status only in its message ('Request failed with status code 409').
      if (!(err instanceof Error)) throw err;
      const status = /status code (\d{3})/.exec(err.message)?.[1];
      const message = status ? `${what} on ${this.url} answered ${status}` : `${what} on ${this.url}: ${err.message}`;
      throw new ToxiproxyApiError(message, status ? Number(status) : undefined, { cause: err });
    }
  }
}

function safeError(text: string): string {
  try {
    return String((JSON.parse(text) as { error?: unknown }).error ?? '');
  } catch {
    return text.slice(0, 200);
  }
}
