import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CrucibleError } from '../errors/crucible-error.ts';
import { runTargetRef } from './run-target-option.ts';

const config = (target?: string) => ({ file: '/repo/qa/crucible.config.ts', config: target === undefined ? {} : { target } });

describe('runTargetRef', () => {
  it('the flag wins over the config, the config over the default (local)', () => {
    assert.deepEqual(runTargetRef('https://a.example.com/', config('local')), { kind: 'url', url: 'https://a.example.com' });
    assert.deepEqual(runTargetRef(undefined, config('https://b.example.com/api')), { kind: 'url', url: 'https://b.example.com/api' });
    assert.deepEqual(runTargetRef(undefined, config()), { kind: 'local' });
    assert.deepEqual(runTargetRef(undefined, { file: undefined, config: {} }), { kind: 'local' });
    assert.deepEqual(runTargetRef('containers', config('local')), { kind: 'containers' });
    assert.deepEqual(runTargetRef(undefined, config('containers')), { kind: 'containers' });
    assert.deepEqual(runTargetRef('kind', config('containers')), { kind: 'kind' });
    assert.deepEqual(runTargetRef(undefined, config('kind')), { kind: 'kind' });
  });

  it("a profile path is relative to the working directory on the flag, to the config file's folder in the config", () => {
    assert.deepEqual(runTargetRef('staging.json', config()), { kind: 'profile', file: join(process.cwd(), 'staging.json'), format: 'json' });
    assert.deepEqual(runTargetRef(undefined, config('./profiles/s.profile.ts')), { kind: 'profile', file: '/repo/qa/profiles/s.profile.ts', format: 'module' });
  });

  it('refuses anything else (exit 2), naming where it came from', () => {
    assert.throws(
      () => runTargetRef('staging', config()),
      (err) =>
        err instanceof CrucibleError &&
        err.exitCode === 2 &&
        /--target must be local, containers, kind, an http\(s\) URL or a target profile file/.test(err.message),
    );
  });
});
