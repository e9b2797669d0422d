import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { CrucibleError } from '../errors/crucible-error.ts';
import { projectRoot } from '../util/project-root.ts';
import { loadDefinition, resolveDefinitionPath } from './load-definition.ts';

const fixture = (kind: 'valid' | 'invalid', name: string): string => join(projectRoot(), 'fixtures', 'scenarios', kind, `${name}.ts`);

async function problems(name: string): Promise<{ err: CrucibleError; lines: string[] }> {
  try {
    await loadDefinition(fixture('invalid', name));
  } catch (err) {
    assert.ok(err instanceof CrucibleError, String(err));
    return { err, lines: [err.message, ...err.details] };
  }
  assert.fail(`${name} was accepted`);
}

describe('loading and validating scenarios', () => {
  it('accepts a valid scenario and parses its thresholds', async () => {
    const d = await loadDefinition(fixture('valid', 'minimal'));
    assert.equal(d.kind, 'scenario');
    assert.equal(d.kind === 'scenario' && d.scenario.name, 'minimal');
  });

  it('names the file, the field path and what was expected for each mistake', async () => {
    const { err, lines } = await problems('bad-fields');
    assert.equal(err.code, 'CRUCIBLE_ERR_INVALID_SCENARIO');
    assert.equal(err.exitCode, 2);
    const text = lines.join('\n');
    assert.match(text, /fixtures\/scenarios\/invalid\/bad-fields\.ts: name: expected a kebab-case name/);
    assert.match(text, /bad-fields\.ts: load\.steady\.rate: .*>0.*, got -5/);
    assert.match(text, /load\.steady\.duration: expected a duration like 500ms.*"10 seconds"/);
    assert.match(text, /load\.ramp\.stages\[1\]\.duration: expected a duration.* \(missing\)/);
    assert.match(text, /load\.ramp\.stages\[1\]: Unrecognized key: "duraton"/);
  });

  it('reports cross-field mistakes: unknown flows, maxVUs below preAllocatedVUs, a stress run without a ramp', async () => {
    const text = (await problems('cross-field')).lines.join('\n');
    assert.match(text, /cross-field\.ts: load\.mixed\.flows\.checkout: no flow named 'checkout' \(flows: browse\)/);
    assert.match(text, /cross-field\.ts: load\.steady\.maxVUs: expected at least preAllocatedVUs \(10\), got 2/);
    const { lines } = await problems('stress-without-ramp');
    assert.match(lines.join('\n'), /stress-without-ramp\.ts: load: a stress scenario needs a ramping-arrival-rate/);
  });

  it('rejects an unknown executor, listing the known ones', async () => {
    const { lines } = await problems('unknown-executor');
    assert.match(
      lines.join('\n'),
      /load\.steady\.executor: expected executor to be one of constant-vus, ramping-vus, constant-arrival-rate, ramping-arrival-rate/,
    );
  });

  it('rejects an unknown threshold metric with a suggestion', async () => {
    const { lines } = await problems('bad-thresholds');
    assert.match(lines.join('\n'), /bad-thresholds\.ts: thresholds\["http_req_duraton"\]: .*did you mean http_req_duration/);
  });

  it('says when a file has no scenario as its default export, or throws when imported', async () => {
    assert.match((await problems('no-default-export')).lines.join('\n'), /expected export default defineScenario/);
    const thrown = await problems('throws-on-load');
    assert.equal(thrown.err.code, 'CRUCIBLE_ERR_SCENARIO_LOAD');
    assert.match(thrown.err.message, /throws-on-load\.ts could not be loaded: fixtures\/missing\.json not found/);
  });

  it('says when nothing is at the path', async () => {
    await assert.rejects(
      loadDefinition('scenarios/nope/none.ts'),
      (e: CrucibleError) => e.code === 'CRUCIBLE_ERR_SCENARIO_NOT_FOUND' && /no scenario or suite at/.test(e.message),
    );
  });

  it('finds a file by name: the suite when a suite and a scenario share it', () => {
    const scenarios = join(projectRoot(), 'scenarios');
    assert.equal(resolveDefinitionPath('smoke'), join(scenarios, 'suites', 'smoke.ts'));
    assert.equal(resolveDefinitionPath('baseline'), join(scenarios, 'load', 'baseline.ts'));
    assert.throws(
      () => resolveDefinitionPath('no-such-scenario'),
      (e: CrucibleError) => e.code === 'CRUCIBLE_ERR_SCENARIO_NOT_FOUND',
    );
  });
});
