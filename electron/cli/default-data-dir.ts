import { homedir } from 'node:os'
import { join } from 'node:path'

/** Electron's userData folder for this app (see main/index.ts), computed without Electron. */
export function defaultDataDir(): string {
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'credit-desk')
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'credit-desk')
  return join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'credit-desk')
}
