import { connect } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, request } from 'undici';
import type { ReadinessCheck } from './component-spec.ts';

const agents = new Map<string, Agent>();

function agentFor(check: Extract<ReadinessCheck, { kind: 'http' }>): Agent | undefined {
  if (!check.tls) return undefined;
  const key = `${check.tls.servername}|${check.tls.cert.length}`;
  let agent = agents.get(key);
  if (!agent) {
    agent = new Agent({ connect: { ca: check.tls.ca, cert: check.tls.cert, key: check.tls.key, servername: check.tls.servername }, connections: 2 });
    agents.set(key, agent);
  }
  return agent;
}

function tcpOnce(port: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, signal });
    socket.once('connect', () => {
      socket.destroy();
      resolve();
    });
    socket.once('error', reject);
  });
}

/** One attempt; throws with a short reason when the component is not (yet) serving. */
async function probeOnce(check: ReadinessCheck, signal: AbortSignal): Promise<void> {
  switch (check.kind) {
    case 'tcp':
      return tcpOnce(check.port, signal);
    case 'http': {
      const dispatcher = agentFor(check);
      const res = await request(check.url, { method: 'GET', signal, headersTimeout: 2_000, bodyTimeout: 2_000, ...(dispatcher ? { dispatcher } : {}) });
      const body = await res.body.text();
      const want = check.expectStatus ?? 200;
      if (res.statusCode !== want) throw new Error(`${check.url} answered ${res.statusCode}${body ? `: ${body.slice(0, 200)}` : ''}`);
      return;
    }
    case 'custom':
      return check.probe(signal);
    default: {
      const never: never = check;
      throw new Error(`unknown readiness check ${JSON.stringify(never)}`);
    }
  }
}

function describeCheck(check: ReadinessCheck): string {
  switch (check.kind) {
    case 'tcp':
      return `tcp 127.0.0.1:${check.port}`;
    case 'http':
      return `GET ${check.url}`;
    case 'custom':
      return check.describe;
  }
}

/**
 * Polls until the check passes, the deadline passes (rejects with the last reason) or the signal
 * aborts (the process died; rejects at once). Polling starts fast because most components are
 * ready within a few hundred milliseconds.
 */
export async function waitReady(check: ReadinessCheck, timeoutMs: number, signal: AbortSignal): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let delay = 25;
  let last = 'not checked yet';
  while (!signal.aborted) {
    const attempt = AbortSignal.any([signal, AbortSignal.timeout(Math.max(100, Math.min(2_000, deadline - Date.now())))]);
    try {
      await probeOnce(check, attempt);
      return;
    } catch (err) {
      last = (err as Error).message || String(err);
    }
    if (Date.now() >= deadline) throw new Error(`not ready after ${timeoutMs} ms (${describeCheck(check)}: ${last})`);
    // An abort ends the wait early; the loop condition then reports it.
    await sleep(delay, undefined, { signal }).catch((err: unknown) => {
      if (!signal.aborted) throw err;
    });
    delay = Math.min(delay * 2, 250);
  }
  throw new Error(`stopped while waiting (${describeCheck(check)}: ${last})`);
}
