// Lint plus the import boundaries of ARCHITECTURE.md, checked on every `npm test`:
// core and db never import Electron; the renderer never imports Node, core, main or db;
// the preload imports only 'electron' and the procedure names; the contract only zod.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import vue from 'eslint-plugin-vue'
import globals from 'globals'

/** Forbids exact module names and import paths matching any of the regexes. */
const restrict = (names, regexes, message) => [
  'error',
  { paths: names.map((name) => ({ name, message })), patterns: regexes.length ? [{ regex: regexes.join('|'), message }] : [] },
]

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...vue.configs['flat/essential'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] } },
  },
  { files: ['electron/**', 'db/**', 'tests/**', 'e2e/**', 'bench/**', 'scripts/**', 'bin/**', '*.config.*'], languageOptions: { globals: globals.node } },
  { files: ['renderer/**'], languageOptions: { globals: globals.browser } },
  { files: ['bin/**/*.cjs'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'vue/multi-word-component-names': 'off',
    },
  },
  {
    files: ['electron/core/**', 'db/**'],
    rules: { 'no-restricted-imports': restrict(['electron'], ['/main/', '/preload/', '/renderer/'], 'core and db stay free of Electron and of the shells around them') },
  },
  {
    files: ['electron/contract/**'],
    rules: { 'no-restricted-imports': restrict(['electron', 'knex', 'vue'], ['^node:', '/core/', '/main/', '/renderer/', '/db/'], 'the contract is shared by every runtime: zod only') },
  },
  {
    files: ['electron/preload/**'],
    rules: { 'no-restricted-imports': restrict([], ['^(?!electron$|\\.\\./contract/names$)'], 'the sandboxed preload may import only electron and the procedure names') },
  },
  {
    files: ['renderer/**'],
    rules: {
      'no-restricted-imports': restrict(
        ['electron', 'fs', 'path', 'os', 'child_process', 'knex', 'sqlite3'],
        ['^node:', '/electron/core/', '/electron/main/', '/electron/preload/', '/db/'],
        'the renderer reaches main only through window.api',
      ),
    },
  },
)
