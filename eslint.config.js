// Lint: typescript-eslint's recommended rules (no type information: it keeps `npm test` fast on two
// cores; tsc --noEmit does the type checking) plus the import direction of docs/architecture.md.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const layer = (from, forbidden, why) => ({
  files: [`${from}/**/*.ts`],
  rules: {
    'no-restricted-imports': ['error', { patterns: forbidden.map((group) => ({ group: [group], message: why })) }],
  },
});

export default tseslint.config(
  { ignores: ['node_modules/**', '.tools/**', '.crucible/**', 'reports/**'] },
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
  // Reports are rendered from the result model only.
  layer('harness/report', ['**/load/**', '**/faults/**', '**/probes/**', '**/run/**', '**/cli/**', '**/security/**'], 'report reads the result model only'),
  // Nothing imports the CLI.
  layer('harness/!(cli)', ['**/cli/**'], 'only the cli imports the cli'),
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
