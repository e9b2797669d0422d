import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CrucibleError } from '../errors/crucible-error.ts';
import { projectRoot } from '../util/project-root.ts';
import { loadProfile } from './load-profile.ts';

const dir = join(projectRoot(), 'fixtures', 'profiles');

async function loadError(file: string): Promise<CrucibleError> {
  try {
    await loadProfile(file);
  } catch (err) {
    assert.ok(err instanceof CrucibleError, `a coded error, not ${String(err)}`);
    return err;
  }
  assert.fail(`${file} loaded`);
}

describe('loadProfile', () => {
  it('loads the shipped template with its fields as written', async () => {
    const { file, profile } = await loadProfile(join(dir, 'example-api.ts'));
    assert.equal(file, join(dir, 'example-api.ts'));
    assert.equal(profile.baseUrl, 'http://127.0.0.1:8080');
    assert.deepEqual(profile.auth.users.admin, { username: 'admin', password: 'admin-password' });
    assert.equal(profile.resources?.[0]?.read.path, '/api/orders/{id}');
  });

  it('names the file and every bad field at once', async () => {
    const err = await loadError(join(dir, 'invalid', 'missing-users.ts'));
    assert.equal(err.code, 'CRUCIBLE_ERR_INVALID_SCENARIO');
    assert.match(err.message, /missing-users\.ts is not a valid profile: 2 problems/);
    assert.ok(
      err.details.some((d) => /missing-users\.ts: baseUrl: Invalid URL, got "localhost:8080"/.test(d)),
      err.details.join('\n'),
    );
    assert.ok(
      err.details.some((d) => /missing-users\.ts: auth\.users\.admin:/.test(d)),
      err.details.join('\n'),
    );
    assert.match(err.hint, /docs\/security\.md#target-profiles/);
  });

  it('refuses a misspelt field at any level, naming the file, the field and the field it likely meant', async () => {
    const err = await loadError(join(dir, 'invalid', 'misspelt-fields.ts'));
    assert.match(err.message, /misspelt-fields\.ts is not a valid profile: 3 problems/);
    const detail = (re: RegExp): void =>
      assert.ok(
        err.details.some((d) => re.test(d)),
        `${re}\n${err.details.join('\n')}`,
      );
    detail(/misspelt-fields\.ts: auth\.login: unknown field 'tokenFeild' \(did you mean 'tokenField'\?\)/);
    detail(/misspelt-fields\.ts: resources\[0\]: unknown field 'idfield' \(did you mean 'idField'\?\)/);
    detail(/misspelt-fields\.ts: \(the default export\): unknown fields 'detecton' \(did you mean 'detection'\?\), 'openapi'; this object takes /);
  });

  it('refuses a plain object that was not made with defineProfile', async () => {
    const err = await loadError(join(dir, 'invalid', 'not-a-profile.ts'));
    assert.ok(
      err.details.some((d) => /__crucible: expected export default defineProfile/.test(d)),
      err.details.join('\n'),
    );
  });

  it('refuses a missing file', async () => {
    const err = await loadError(join(dir, 'nope.ts'));
    assert.match(err.message, /--profile: no file at .*nope\.ts/);
  });

  it('the reference platform profile file says no platform runs, and how to start one', async () => {
    const before = process.env['CRUCIBLE_PORT_BASE'];
    process.env['CRUCIBLE_PORT_BASE'] = '7980'; // a block no test starts a platform on
    try {
      const err = await loadError(join(dir, 'reference-platform.ts'));
      assert.equal(err.code, 'CRUCIBLE_ERR_TARGET_UNAVAILABLE');
      assert.match(err.message, /no reference platform is running on port base 7980/);
      assert.match(err.hint, /crucible up --port-base 7980/);
    } finally {
      if (before === undefined) delete process.env['CRUCIBLE_PORT_BASE'];
      else process.env['CRUCIBLE_PORT_BASE'] = before;
    }
  });
});
