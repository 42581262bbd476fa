import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', '*.vsix'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'child_process',
              message: 'Use the runner in src/core/probes (runProcess, startServer, startPiped: no shell, timeouts).',
            },
            {
              name: 'node:child_process',
              message: 'Use the runner in src/core/probes (runProcess, startServer, startPiped: no shell, timeouts).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/core/**/*.ts', 'src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'vscode', message: 'src/core and src/cli run under plain Node: no vscode import.' },
            {
              name: 'child_process',
              message: 'Use the runner in src/core/probes (runProcess, startServer, startPiped: no shell, timeouts).',
            },
            {
              name: 'node:child_process',
              message: 'Use the runner in src/core/probes (runProcess, startServer, startPiped: no shell, timeouts).',
            },
          ],
        },
      ],
    },
  },
  {
    // Type-aware rules where they catch real bugs: a promise nobody awaits loses its error.
    files: ['src/**/*.ts', 'test/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          // node:test's describe/it return promises the runner itself awaits.
          allowForKnownSafeCalls: [
            {
              from: 'package',
              package: 'node:test',
              name: ['describe', 'it', 'test', 'suite', 'before', 'after', 'beforeEach', 'afterEach'],
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', performance: 'readonly' } },
  },
);
