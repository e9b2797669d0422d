import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent } from 'undici';
import { httpCall, type HttpReply } from '../../harness/util/http-call.ts';
import { LocalTarget } from '../../harness/targets/local/local-target.ts';
import type { PlatformState } from '../../harness/targets/target.ts';
import type { PlatformSecrets } from '../../platform/local/plan-context.ts';
import type { ComponentState } from '../../platform/local/supervisor-state.ts';

/** Tests run the platform on their own block, apart from a developer's `crucible up` on 7300. */
export const TEST_PORT_BASE = Number(process.env['CRUCIBLE_TEST_PORT_BASE'] ?? 7400);

export type Reply = HttpReply;
export const call = httpCall;

/** Sum of every sample of a metric (optionally filtered by labels) in Prometheus text exposition. */
export function sumMetric(text: string, name: string, labels: Record<string, string> = {}): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name) || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(\{(.*)\})?\s+(\S+)/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[3] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) sum += Number(m[4]);
  }
  return sum;
}

/** Polls until fn returns a truthy value; fails with the last error after timeoutMs. Returns the value. */
export async function eventually<T>(fn: () => Promise<T | undefined | false>, timeoutMs: number, what: string, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`${what}: not true within ${timeoutMs} ms${last ? ` (last error: ${(last as Error).message})` : ''}`);
    await sleep(everyMs);
  }
}

/**
 * The reference platform shared by a test file's suites: started in `before`, disposed in `after`
 * (`await platform[Symbol.asyncDispose]()`), which closes its TLS clients and stops the platform.
 */
export class PlatformFixture implements AsyncDisposable {
  readonly target: LocalTarget;
  state!: PlatformState;
  upMs = 0;
  private readonly agents = new Map<string, Agent>();

  constructor(portBase = TEST_PORT_BASE) {
    this.target = new LocalTarget({ portBase });
  }

  async start(): Promise<void> {
    const t0 = Date.now();
    this.state = await this.target.up();
    this.upMs = Date.now() - t0;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    for (const a of this.agents.values()) await a.close();
    this.agents.clear();
    await this.target.down();
  }

  get edge(): string {
    return this.state.endpoints.edge;
  }
  get gateways(): string[] {
    return this.state.endpoints.gateways;
  }
  get runDir(): string {
    return this.state.runDir;
  }
  get secrets(): PlatformSecrets {
    return JSON.parse(readFileSync(join(this.runDir, 'config', 'secrets.json'), 'utf8')) as PlatformSecrets;
  }
  get controlToken(): string {
    return readFileSync(join(this.runDir, 'control-token'), 'utf8');
  }

  /** The supervisor's live view of one component. */
  component(name: string): ComponentState {
    const c = this.target.state()?.components.find((x) => x.name === name);
    if (!c) throw new Error(`no component ${name}`);
    return c;
  }

  async control(action: 'hold' | 'release' | 'restart', name: string): Promise<Reply> {
    return call(`${this.state.endpoints.supervisor}/components/${name}/${action}`, 'POST', { headers: { authorization: `Bearer ${this.controlToken}` } });
  }

  /** A dispatcher presenting an identity's client certificate (default: the harness). */
  tlsAgent(servername: string, identity: 'harness' | 'gateway' | 'prometheus' | 'catalog' | 'auth' | 'none' = 'harness'): Agent {
    const key = `${servername}/${identity}`;
    let agent = this.agents.get(key);
    if (!agent) {
      const certs = join(this.runDir, 'certs');
      const ca = readFileSync(join(certs, 'ca.pem'), 'utf8');
      const id =
        identity === 'none'
          ? {}
          : { cert: readFileSync(join(certs, `${identity}.pem`), 'utf8'), key: readFileSync(join(certs, `${identity}-key.pem`), 'utf8') };
      agent = new Agent({ connect: { ca, servername, ...id } });
      this.agents.set(key, agent);
    }
    return agent;
  }

  async login(username: string, password: string): Promise<{ accessToken: string; refreshToken: string }> {
    const r = await call(`${this.edge}/api/auth/login`, 'POST', { body: { username, password } });
    if (r.status !== 200) throw new Error(`login ${username} answered ${r.status}: ${r.text}`);
    return r.body as { accessToken: string; refreshToken: string };
  }

  /** A metric summed over every gateway replica, scraped directly (exact, no scrape interval). */
  async gatewayMetric(name: string, labels: Record<string, string> = {}): Promise<number> {
    const texts = await Promise.all(this.gateways.map(async (g) => (await call(`${g}/metrics`)).text));
    return texts.reduce((s, t) => s + sumMetric(t, name, labels), 0);
  }

  async catalogMetric(name: string, labels: Record<string, string> = {}): Promise<number> {
    const r = await call(`${this.state.endpoints.catalog}/metrics`, 'GET', { dispatcher: this.tlsAgent('catalog', 'prometheus') });
    return sumMetric(r.text, name, labels);
  }
}
