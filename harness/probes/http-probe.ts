import { Agent, request } from 'undici';
import type { ProbeCheck, ProbeTargetInfo } from './probe-check.ts';
import { failureReason } from './probe-check.ts';
import type { ResolvedProbe } from '../config/resolved-scenario.ts';

type HttpProbeSpec = Extract<ResolvedProbe, { type: 'http' }>;

/** A request through the target's base URL; good when the status is expected and it came in time. */
export function createHttpProbe(spec: HttpProbeSpec, target: ProbeTargetInfo): ProbeCheck {
  const { timeoutMs } = spec;
  const [min, max] = spec.expectStatus;
  const url = new URL(spec.path, `${target.baseUrl.replace(/\/$/, '')}/`).toString();
  // Its own small pool: a probe must not queue behind the load's connections, and a connection cut
  // by a fault is replaced on the next sample.
  const agent = new Agent({ connections: 2, connect: { timeout: timeoutMs } });
  return {
    name: spec.name,
    type: 'http',
    everyMs: spec.everyMs,
    timeoutMs,
    async run(signal) {
      try {
        const res = await request(url, {
          dispatcher: agent,
          signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
        });
        await res.body.dump();
        const ok = res.statusCode >= min && res.statusCode <= max;
        return ok ? { ok } : { ok, error: `status ${res.statusCode}` };
      } catch (err) {
        return { ok: false, error: failureReason(err) };
      }
    },
    [Symbol.asyncDispose]: () => agent.close(),
  };
}
