import type { CheckContext, CheckOutcome } from '../../security-check.ts';
import { defineCheck } from '../../security-check.ts';
import { loginPath, loginRequest, needsNothing, noted, Verdicts } from '../../toolkit/index.ts';

/**
 * What an error meant for a developer looks like: stack frames and tracebacks of the common server
 * stacks (Node, Python, Java and the JVM languages, .NET, PHP, Go, Ruby), stack keys, source paths,
 * exception objects. Each pattern is specific to its stack's own format and survives JSON escaping
 * (a traceback inside a JSON string has its quotes escaped and its newlines as \n).
 */
export const LEAKS: readonly (readonly [string, RegExp])[] = [
  ['a stack frame', /\bat (?:async )?[^\s()"]+ \((?:file:\/\/|node:|\/|[A-Za-z]:\\)[^)"]*:\d+(?::\d+)?\)/],
  ['a stack frame', /\bat (?:file:\/\/|node:internal|\/[\w.@-]+\/)[^\s"]*:\d+:\d+/],
  ["'at Object.'", /\bat Object\./],
  ['a Python traceback', /Traceback \(most recent call last\)/],
  ['a Python stack frame', /\bFile \\?"[^"\\]+\\?", line \d+/],
  ['a Java stack frame', /\([\w$]+\.(?:java|kt|scala|groovy):\d+\)/],
  ['a .NET stack frame', /\.(?:cs|vb|fs):line \d+/],
  ['a PHP stack trace', /#\d+ [^\s"]+\.php\(\d+\)|\.php(?:<\/b>)? on line (?:<b>)?\d+/],
  ['a Go panic', /\.go:\d+ \+0x[0-9a-f]+|\bgoroutine \d+ \[[\w ,]+\]:/],
  ['a Ruby stack frame', /\.rb:\d+:in [`'\u2018]/],
  ['a stack field', /"(?:stack|stacktrace|stackTrace|trace|traceback)"\s*:/],
  ['an exception object', /"exception"\s*:\s*\{/],
  ['a source file path', /(?:\/[\w.@-]+){2,}\.(?:ts|js|mjs|cjs)\b/],
  ['node_modules', /node_modules/],
];

export const verboseErrorsCheck = defineCheck({
  id: 'SEC-CFG-03',
  title: 'Verbose error messages',
  owasp: 'API8',
  cwe: [209, 215],
  cvss: { vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N', score: 5.3 },
  attackClass: 'misconfiguration',
  provenBy: ['verbose-errors'],
  description:
    "Sends what makes servers fail: malformed JSON and wrongly typed fields to the login, an XML body, a malformed id on the first resource's read route, and to GraphQL a syntax error (graphql-cop's 'qwerty cop { abc }'), a variable of the wrong type and malformed JSON. Fails when an answer carries a stack frame or traceback of a common server stack (Node 'at f (/x.ts:1:2)', Python 'Traceback (most recent call last):' and 'File \"app.py\", line 3', Java '(Login.java:57)', .NET 'Login.cs:line 31', PHP '#0 /x.php(14)', Go 'main.go:42 +0x2a' and 'goroutine 1 [running]:', Ruby 'x.rb:12:in'), a stack or exception field, a source file path or node_modules. Passes when every answer is a generic error; no answer at all is an error.",
  applies: needsNothing,
  run,
});

async function run(ctx: CheckContext): Promise<CheckOutcome> {
  const { profile } = ctx;
  const path = loginPath(profile);
  const json = { 'content-type': 'application/json' };
  const probes: { method: string; path: string; headers?: Readonly<Record<string, string>>; rawBody?: string; body?: unknown }[] = [
    { method: 'POST', path, headers: json, rawBody: '{"username": "a",' },
    loginRequest(profile, ['x'], { nested: 12345 }),
    { method: 'POST', path, headers: { 'content-type': 'application/xml' }, rawBody: '<login><username>a</username></login>' },
  ];
  const read = profile.resources?.[0]?.read;
  if (read) probes.push({ method: read.method, path: read.path.replace('{id}', '%27%22%3Cx%3E') });
  const gql = profile.graphql?.path;
  if (gql) {
    probes.push(
      { method: 'POST', path: gql, body: { query: 'qwerty cop { abc }' } },
      { method: 'POST', path: gql, body: { query: 'query($n: Int!) { __typename }', variables: { n: 'not a number' } } },
      { method: 'POST', path: gql, headers: json, rawBody: '{"query": "{ __typename }",' },
    );
  }
  const v = new Verdicts();
  let answered = 0;
  for (const p of probes) {
    const res = await ctx.http.request(p);
    if (res.status === 0) {
      v.doubt(`${p.method} ${p.path} got no answer`, res.evidence);
      continue;
    }
    answered++;
    const leaks = [...new Set(LEAKS.filter(([, re]) => re.test(res.text)).map(([what]) => what))];
    if (leaks.length > 0)
      v.finding(`${p.method} ${p.path} (${res.status}) answered with ${leaks.join(', ')}`, noted(res.evidence, `leaks ${leaks.join(', ')}`));
    else v.saw(noted(res.evidence, 'generic error'));
  }
  return v.outcome(`${answered} malformed requests answered with generic errors: no stack traces or tracebacks, file paths or exception objects`);
}
