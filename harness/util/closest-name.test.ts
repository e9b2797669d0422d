import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { closestName } from './closest-name.ts';

describe('closestName', () => {
  it('finds the name a misspelling meant, within 3 edits, case ignored', () => {
    assert.equal(closestName('tokenFeild', ['path', 'tokenField', 'usernameField']), 'tokenField');
    assert.equal(closestName('baseurl', ['name', 'baseUrl']), 'baseUrl');
    assert.equal(closestName('http_req_duraton', ['http_reqs', 'http_req_duration']), 'http_req_duration');
  });

  it('suggests nothing when no candidate is near', () => {
    assert.equal(closestName('openapi', ['name', 'baseUrl', 'auth']), undefined);
    assert.equal(closestName('x', []), undefined);
  });
});
