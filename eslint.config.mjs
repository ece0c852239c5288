// The DESIGN.md dependency rule lives here, so that a wrong import fails CI.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const noSandbox = { group: ['**/sandbox/**'], message: 'The extension must not depend on the sandbox.' };

const noVscode = {
  paths: [{ name: 'vscode', message: 'DESIGN.md: this layer must not depend on VS Code.' }],
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'dist-package/**', 'out/**', '.sandbox*/**', '.vscode-test/**', '.vscode-e2e/**', 'sandbox-signin/dist/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    // The sandbox is an independent implementation of the services: if it shared code with the
    // client, their bugs would agree.
    files: ['sandbox/**'],
    rules: {
      'no-restricted-imports': ['error', {
        ...noVscode,
        patterns: [{ group: ['**/src/**', '../src/*', '../../src/*'], message: 'sandbox/ must not import from src/.' }],
      }],
    },
  },
  {
    files: ['src/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noSandbox] }] },
  },
  {
    // Later blocks replace a rule's options, so these layers repeat the sandbox pattern.
    files: ['src/core/**', 'src/azure/**', 'src/secretServer/**', 'src/protocol/**', 'src/readiness/**', 'src/renewal/**'],
    rules: { 'no-restricted-imports': ['error', { ...noVscode, patterns: [noSandbox] }] },
  },
  {
    // src/auth talks to VS Code through one adapter only; everything else there is testable without it.
    files: ['src/auth/**'],
    ignores: ['src/auth/vscodeAuthentication.ts'],
    rules: { 'no-restricted-imports': ['error', { ...noVscode, patterns: [noSandbox] }] },
  },
);
