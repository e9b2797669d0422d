// Lint: typescript-eslint's recommended rules (no type information: it keeps `npm test` fast on two
// cores; tsc --noEmit does the type checking) plus the import direction of docs/architecture.md.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const layer = (from, forbidden, why) => ({
  files: [`${from}/**/*.ts`],
  rules: {
    'no-restricted-imports': ['error', { patterns: forbidden.map((group) => ({ group: [group], message: why })) }],
  },
});

// The import direction between harness/ folders (tests included): cli -> run -> engines -> config ->
// result; report reads the result model only; targets are used by run, faults and security; nothing
// imports cli. Each folder lists what it may import; every other harness folder (and the reference
// platform, for folders with no business starting it) is refused. An engine imports only the engines
// its entry names. The lists form no cycle (checked below), so neither can the folders' imports.
const BASE = ['errors', 'util'];
const ENGINES = {
  load: [],
  // Load pods (processes) running the load engine's segments, merged by a coordinator: docs/distributed.md.
  distributed: ['load'],
  metrics: ['load'],
  probes: ['metrics'],
  faults: ['targets'],
  security: ['faults', 'metrics', 'targets'],
  measure: [],
  ledger: [],
  smoke: [],
  doctor: ['containers'],
};
const MAY_IMPORT = {
  cli: ['run', 'report', 'targets', 'images', 'containers', 'scaffold', 'tools', 'config', 'result', ...Object.keys(ENGINES), ...BASE, 'platform'],
  run: ['report', 'targets', 'containers', 'tools', 'config', 'result', ...Object.keys(ENGINES), ...BASE, 'platform'],
  ...Object.fromEntries(
    Object.entries(ENGINES).map(([engine, engines]) => [
      engine,
      [...engines, 'tools', 'config', 'result', ...BASE, ...(['faults', 'security', 'doctor'].includes(engine) ? ['platform'] : [])],
    ]),
  ),
  targets: ['images', 'containers', 'tools', 'config', 'result', ...BASE, 'platform'],
  // The container engine (docker or podman, podman's containers.conf) and the Debian base image.
  containers: [...BASE],
  // crucible images build: the platform's Containerfiles, their build contexts and content hashes.
  images: ['containers', 'tools', ...BASE],
  config: ['result', ...BASE],
  report: ['result', ...BASE],
  result: [...BASE],
  tools: ['containers', ...BASE],
  scaffold: [...BASE],
  errors: ['util'],
  util: [],
};
const HARNESS_FOLDERS = Object.keys(MAY_IMPORT);

/** Throws on a cycle in MAY_IMPORT: a rule that allowed one would let folders import each other again. */
function assertAcyclic(graph) {
  const done = new Set();
  const visit = (node, path) => {
    if (path.includes(node)) throw new Error(`eslint.config.js: the import direction has a cycle: ${[...path.slice(path.indexOf(node)), node].join(' -> ')}`);
    if (done.has(node)) return;
    for (const next of graph[node] ?? []) visit(next, [...path, node]);
    done.add(node);
  };
  for (const node of Object.keys(graph)) visit(node, []);
}
assertAcyclic(MAY_IMPORT);

// A new harness folder needs its place in the direction before it can hold code.
for (const entry of readdirSync(join(import.meta.dirname, 'harness'), { withFileTypes: true }))
  if (entry.isDirectory() && !Object.hasOwn(MAY_IMPORT, entry.name))
    throw new Error(`eslint.config.js: harness/${entry.name} has no entry in MAY_IMPORT (the import direction): add what it may import`);

/**
 * no-restricted-imports for harness/<folder> at each depth: its imports of another top-level folder
 * are relative (`../run/x.ts` from harness/report/, `../../run/x.ts` from harness/load/engine/), so
 * the patterns match exactly that many `../` (a subfolder of the same name elsewhere cannot match).
 */
function importDirection() {
  return HARNESS_FOLDERS.flatMap((folder) =>
    [1, 2, 3, 4].map((depth) => {
      const up = (n) => `^(\\.\\./){${n}}`;
      const refused = [...HARNESS_FOLDERS, 'platform'].filter((other) => other !== folder && !MAY_IMPORT[folder].includes(other));
      return {
        files: [`harness/${folder}/${'*/'.repeat(depth - 1)}*.ts`],
        rules: {
          'no-restricted-imports': [
            'error',
            {
              patterns: refused.map((other) => ({
                regex: other === 'platform' ? `${up(depth + 1)}platform/` : `${up(depth)}${other}/`,
                message: `harness/${folder} must not import ${other}: it may import ${MAY_IMPORT[folder].join(', ')} (the import direction, eslint.config.js)`,
              })),
            },
          ],
        },
      };
    }),
  );
}

export default tseslint.config(
  { ignores: ['node_modules/**', '.tools/**', '.crucible/**', 'reports/**', 'dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  { files: ['platform/services/web/public/**/*.js'], languageOptions: { globals: { ...globals.browser } } },
  // The platform is what crucible tests; it must not depend on the harness that tests it.
  layer('platform/services', ['**/harness/**'], 'platform services must not import the harness'),
  ...importDirection(),
  // Production code ships (harness/ becomes the npm package): test helpers (test/) and the test data of
  // fixtures/ stay out of it. A rule of its own name, so the layer rules above cannot override it.
  {
    files: ['harness/**/*.ts', 'platform/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/test/**', '**/fixtures/reports/**', '**/fixtures/scenarios/**'],
              message: 'production code must not import test-only code (test/support, fixtures)',
            },
          ],
        },
      ],
    },
  },
);
