import { resolve } from 'node:path'

const DATA_DIR_ENV = 'CREDIT_DESK_DATA_DIR'

/**
 * Where the database lives: `--data-dir DIR` (or `--data-dir=DIR`) wins, then the environment
 * variable, then the platform default the caller passes (Electron's userData folder).
 */
export function resolveDataDir(argv: readonly string[], env: NodeJS.ProcessEnv, fallback: string): string {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg === '--data-dir' && argv[i + 1]) return resolve(argv[i + 1]!)
    if (arg.startsWith('--data-dir=')) return resolve(arg.slice('--data-dir='.length))
  }
  if (env[DATA_DIR_ENV]) return resolve(env[DATA_DIR_ENV]!)
  return fallback
}
