import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, it } from 'node:test';
import type { LoadedConfig } from '../config/load-config.ts';
import { EXIT_AT_ONCE, resolveReportsDir, RunSession, type SessionNotice } from './run-session.ts';

/** A process as far as a session sees it: signals are emitted by hand, exits are recorded. */
class FakeProcess extends EventEmitter {
  exitCode: number | string | null | undefined;
  readonly exits: number[] = [];
  exit(code: number): void {
    this.exits.push(code);
  }
  cwd(): string {
    return '/work/here';
  }
}

const noConfig: LoadedConfig = { file: undefined, config: {} };

function open(config: LoadedConfig = noConfig, reportsDir?: string): { session: RunSession; host: FakeProcess; notices: SessionNotice[] } {
  const host = new FakeProcess();
  const notices: SessionNotice[] = [];
  const session = new RunSession({ config, reportsDir, host, notify: (n) => notices.push(n) });
  return { session, host, notices };
}

describe('RunSession signals', () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`the first ${signal} aborts the run's signal and says so once; the second exits at once with 130`, () => {
      const { session, host, notices } = open();
      assert.equal(session.signal.aborted, false);
      host.emit(signal);
      assert.equal(session.signal.aborted, true);
      assert.deepEqual(notices, [{ kind: 'interrupted', signal }]);
      assert.deepEqual(host.exits, [], 'the first interrupt does not exit: the run stops, rolls back and reports');
      host.emit(signal === 'SIGINT' ? 'SIGTERM' : 'SIGINT');
      assert.deepEqual(host.exits, [EXIT_AT_ONCE]);
      assert.equal(notices.length, 1, 'one message');
    });
  }

  it('reports a stray rejection instead of letting it end the process', () => {
    const { host, notices } = open();
    const error = new Error('a probe forgot its promise');
    host.emit('unhandledRejection', error, Promise.resolve());
    assert.deepEqual(notices, [{ kind: 'stray-rejection', error }]);
  });

  it('disposing removes every listener it added, and only those', async () => {
    const { session, host } = open();
    const other = (): void => {};
    host.on('SIGINT', other);
    assert.equal(host.listenerCount('SIGTERM'), 1);
    assert.equal(host.listenerCount('unhandledRejection'), 1);
    await session[Symbol.asyncDispose]();
    assert.deepEqual(host.listeners('SIGINT'), [other]);
    assert.equal(host.listenerCount('SIGTERM'), 0);
    assert.equal(host.listenerCount('unhandledRejection'), 0);
  });

  it('is used with await using: the listeners go at the end of the scope, also when it throws', async () => {
    const host = new FakeProcess();
    await assert.rejects(async () => {
      await using session = new RunSession({ config: noConfig, host, notify: () => {} });
      assert.equal(host.listenerCount('SIGINT'), 1);
      session.conclude(0);
      throw new Error('the run failed');
    }, /the run failed/);
    assert.equal(host.listenerCount('SIGINT'), 0);
  });
});

describe('RunSession exit code', () => {
  it("sets the process's exit code from the outcome", () => {
    for (const code of [0, 1, 2, 3] as const) {
      const { session, host } = open();
      session.conclude(code);
      assert.equal(host.exitCode, code);
    }
  });

  it('an interrupted run ends 3 (aborted), whatever it measured', () => {
    const { session, host } = open();
    host.emit('SIGINT');
    session.conclude(0);
    assert.equal(host.exitCode, 3);
    assert.equal(session.interrupted, true);
  });
});

describe('reports folder', () => {
  const config = (reportsDir?: string): LoadedConfig => ({ file: '/project/crucible.config.ts', config: reportsDir ? { reportsDir } : {} });

  it('the flag wins, relative to the working directory', () => {
    assert.equal(resolveReportsDir('out', config('elsewhere'), '/work/here'), '/work/here/out');
    assert.equal(resolveReportsDir('/tmp/abs', config('elsewhere'), '/work/here'), '/tmp/abs');
  });

  it("then the config's reportsDir, relative to the config file", () => {
    assert.equal(resolveReportsDir(undefined, config('runs/nightly'), '/work/here'), '/project/runs/nightly');
    assert.equal(resolveReportsDir(undefined, config('/var/reports'), '/work/here'), '/var/reports');
  });

  it('then reports beside the config file, or in the working directory without one', () => {
    assert.equal(resolveReportsDir(undefined, config(), '/work/here'), '/project/reports');
    assert.equal(resolveReportsDir(undefined, noConfig, '/work/here'), '/work/here/reports');
  });

  it('the session resolves it the same way, from its host working directory', () => {
    assert.equal(open(config('runs')).session.reportsDir, '/project/runs');
    assert.equal(open(config('runs'), 'mine').session.reportsDir, '/work/here/mine');
    assert.equal(open().session.reportsDir, '/work/here/reports');
  });
});
