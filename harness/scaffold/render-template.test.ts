import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderTemplate } from './render-template.ts';

const input = { values: { target: 'local', url: 'https://x.test' }, sections: { local: true } };

describe('renderTemplate', () => {
  it('fills {{name}} and leaves GitHub ${{ }} and GitLab ${VAR} expressions as they are', () => {
    const text = "target: '{{target}}'\nrun: echo ${{ github.token }} ${{github.ref}} $CI_JOB_TOKEN ${CI_API_V4_URL}";
    assert.equal(renderTemplate('t', text, input), "target: 'local'\nrun: echo ${{ github.token }} ${{github.ref}} $CI_JOB_TOKEN ${CI_API_V4_URL}");
  });

  it('keeps {{#flag}} lines when the flag is true and {{^flag}} lines when it is false, dropping the markers', () => {
    const text = ['a', '{{#local}}', 'only local', '{{/local}}', '  {{^local}}', 'only remote', '  {{/local}}', 'b'].join('\n');
    assert.equal(renderTemplate('t', text, input), 'a\nonly local\nb');
    assert.equal(renderTemplate('t', text, { ...input, sections: { local: false } }), 'a\nonly remote\nb');
  });

  it('throws naming the template and line for an unknown placeholder, an unknown section, a stray close and an unclosed section', () => {
    assert.throws(() => renderTemplate('x.tmpl', 'a\n{{nope}}', input), /template x\.tmpl:2: unknown placeholder \{\{nope\}\}/);
    assert.throws(() => renderTemplate('x.tmpl', '{{#remote}}\n{{/remote}}', input), /x\.tmpl:1: unknown section remote/);
    assert.throws(() => renderTemplate('x.tmpl', 'a\n{{/local}}', input), /x\.tmpl:2: \{\{\/local\}\} closes no open/);
    assert.throws(() => renderTemplate('x.tmpl', 'a\n{{^local}}\nb', input), /x\.tmpl:2: \{\{\^local\}\} is never closed/);
  });
});
