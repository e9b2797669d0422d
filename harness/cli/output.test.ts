import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import { CrucibleError } from '../errors/crucible-error.ts';
import { reportError } from './output.ts';

function printed(err: unknown): { code: number; lines: string[] } {
  const error = mock.method(console, 'error', () => {});
  try {
    const code = reportError(err);
    return { code, lines: error.mock.calls.map((c) => String(c.arguments[0])) };
  } finally {
    error.mock.restore();
  }
}

describe('reportError', () => {
  it('prints a coded error with its hint and returns its exit code', () => {
    const { code, lines } = printed(new CrucibleError('CRUCIBLE_ERR_INVALID_OPTION', '--workers must be an integer'));
    assert.equal(code, 2);
    assert.match(lines[0] ?? '', /CRUCIBLE_ERR_INVALID_OPTION: --workers must be an integer/);
    assert.match(lines.at(-1) ?? '', /hint:/);
  });

  it('an error while disposing what a run started, on top of the run failing: both are printed, the worse exit code wins', () => {
    const run = new CrucibleError('CRUCIBLE_ERR_INVALID_OPTION', 'the run failed');
    const cleanup = new CrucibleError('CRUCIBLE_ERR_DOWN_INCOMPLETE', '2 process(es) would not die');
    const { code, lines } = printed(new SuppressedError(cleanup, run));
    assert.equal(code, 3);
    const text = lines.join('\n');
    assert.ok(text.indexOf('the run failed') < text.indexOf('would not die'), 'the run first, then the cleanup');
    assert.match(text, /while stopping what the run had started/);
  });
});
