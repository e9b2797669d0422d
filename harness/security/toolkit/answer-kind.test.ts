import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { answerKind, isAccepted, isRefused, isServerError, saysNothing } from './answer-kind.ts';

describe('answerKind: the one reading of a status', () => {
  it('sorts every status into one kind', () => {
    const cases: [number, ReturnType<typeof answerKind>][] = [
      [0, 'no-answer'],
      [101, 'unclear'],
      [200, 'accepted'],
      [204, 'accepted'],
      [301, 'redirected'],
      [302, 'redirected'],
      [400, 'refused'],
      [401, 'refused'],
      [403, 'refused'],
      [404, 'refused'],
      [423, 'refused'],
      [429, 'throttled'],
      [500, 'failed'],
      [501, 'failed'],
      [502, 'failed'],
      [503, 'unavailable'],
      [504, 'failed'],
    ];
    for (const [status, kind] of cases) assert.equal(answerKind(status), kind, String(status));
  });

  it('says nothing about the request on no answer or a 5xx', () => {
    assert.deepEqual(
      [0, 200, 302, 401, 429, 500, 503].map((s) => [s, saysNothing(s), isServerError(s)]),
      [
        [0, true, false],
        [200, false, false],
        [302, false, false],
        [401, false, false],
        [429, false, false],
        [500, true, true],
        [503, true, true],
      ],
    );
    assert.equal(isAccepted(201), true);
    assert.equal(isAccepted(302), false);
  });
});

describe('isRefused: one definition, read by the question a check asks', () => {
  const refused = (reading: Parameters<typeof isRefused>[1]): number[] => [0, 200, 302, 401, 403, 404, 429, 500, 503].filter((s) => isRefused(s, reading));

  it('a credential is refused only by a 4xx that is not a 429 (the limiter is not the verifier)', () => {
    assert.deepEqual(refused('credential'), [401, 403, 404]);
  });

  it('a route is refused by a redirect (to a login page) and a 429 too', () => {
    assert.deepEqual(refused('route'), [302, 401, 403, 404, 429]);
  });

  it('a GraphQL document is refused by any 4xx, a 429 included', () => {
    assert.deepEqual(refused('document'), [401, 403, 404, 429]);
  });

  it('no reading takes no answer, a success or a 5xx for a refusal', () => {
    for (const reading of ['credential', 'route', 'document'] as const)
      for (const s of [0, 200, 500, 503]) assert.equal(isRefused(s, reading), false, `${reading} ${s}`);
  });
});
