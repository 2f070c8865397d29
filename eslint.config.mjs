// Lint plus the import boundaries of ARCHITECTURE.md, checked on every `npm test`:
// core and db never import Electron; the renderer never imports Node, core, main or db;
// the preload imports only 'electron' and the procedure names; the contract only zod.
import { builtinModules } from 'node:module'
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import vue from 'eslint-plugin-vue'
import globals from 'globals'

/** Forbids exact module names and import paths matching any of the regexes. */
const restrict = (names, regexes, message) => [
  'error',
  { paths: names.map((name) => ({ name, message })), patterns: regexes.length ? [{ regex: regexes.join('|'), message }] : [] },
]

/** The same for import() and require() with a literal name, which no-restricted-imports does not see. */
const restrictDynamic = (regex, message) => {
  // A selector's /regex/ may not contain a slash at all, escaped or not: \x2F stands for it.
  const inSelector = regex.replaceAll('\\/', '\\x2F').replaceAll('/', '\\x2F')
  return [
    'error',
    { selector: `ImportExpression > Literal.source[value=/${inSelector}/]`, message },
    { selector: `CallExpression[callee.name='require'] > Literal.arguments[value=/${inSelector}/]`, message },
  ]
}

const escape = (name) => name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
/** Electron and everything under it ('electron', 'electron/main', 'electron/renderer' …). */
const ELECTRON = '^electron(/|$)'
/** Every Node built-in, with or without the node: prefix (fs, node:fs, fs/promises …). */
const NODE_BUILTINS = `^(node:.*|(${builtinModules.map(escape).join('|')})(/.*)?)$`

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...vue.configs['flat/essential'],
  {
    files: ['**/*.vue'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.vue'] } },
  },
  {
    files: ['electron/**', 'db/**', 'tests/**', 'e2e/**', 'bench/**', 'scripts/**', 'bin/**', 'build/**', '*.config.*'],
    languageOptions: { globals: globals.node },
  },
  { files: ['renderer/**'], languageOptions: { globals: globals.browser } },
  {
    files: ['bin/**/*.cjs', 'build/**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'vue/multi-word-component-names': 'off',
    },
  },
  {
    files: ['electron/core/**', 'db/**'],
    rules: {
      'no-restricted-imports': restrict(
        [],
        [ELECTRON, '/main/', '/preload/', '/renderer/'],
        'core and db stay free of Electron and of the shells around them',
      ),
      'no-restricted-syntax': restrictDynamic(ELECTRON, 'core and db stay free of Electron'),
    },
  },
  {
    files: ['electron/contract/**'],
    rules: {
      'no-restricted-imports': restrict(
        ['knex', 'vue'],
        [ELECTRON, NODE_BUILTINS, '/core/', '/main/', '/renderer/', '/db/'],
        'the contract is shared by every runtime: zod only',
      ),
      'no-restricted-syntax': restrictDynamic(`${ELECTRON}|${NODE_BUILTINS}`, 'the contract is shared by every runtime: zod only'),
    },
  },
  {
    files: ['electron/preload/**'],
    rules: {
      'no-restricted-imports': restrict(
        [],
        ['^(?!electron$|\\.\\./contract/names$)'],
        'the sandboxed preload may import only electron and the procedure names',
      ),
      'no-restricted-syntax': [
        'error',
        { selector: 'ImportExpression', message: 'the sandboxed preload cannot load modules at run time' },
        { selector: "CallExpression[callee.name='require']", message: 'the sandboxed preload cannot load modules at run time' },
      ],
    },
  },
  {
    files: ['renderer/**'],
    rules: {
      'no-restricted-imports': restrict(
        ['knex', 'sqlite3'],
        [ELECTRON, NODE_BUILTINS, '/electron/core/', '/electron/main/', '/electron/preload/', '/db/'],
        'the renderer reaches main only through window.api',
      ),
      'no-restricted-syntax': restrictDynamic(`${ELECTRON}|${NODE_BUILTINS}`, 'the renderer reaches main only through window.api'),
    },
  },
)
