import { appendFileSync } from 'node:fs'
import { ensurePrivateDir, PRIVATE_FILE_MODE } from '../core/shared/private-files'
import { join } from 'node:path'

/** Stable event keys, no personal data and no SQL in the fields (support happens by phone). */
export interface Logger {
  info(event: string, fields?: Record<string, unknown>): void
  error(event: string, fields?: Record<string, unknown>): void
}

export function fileLogger(dataDir: string): Logger {
  const dir = join(dataDir, 'logs')
  ensurePrivateDir(dir)
  const write = (level: string, event: string, fields?: Record<string, unknown>) => {
    const line = JSON.stringify({ at: new Date().toISOString(), level, event, ...fields })
    appendFileSync(join(dir, 'credit-desk.log'), line + '\n', { mode: PRIVATE_FILE_MODE })
  }
  return { info: (e, f) => write('info', e, f), error: (e, f) => write('error', e, f) }
}

export function memoryLogger(): Logger & { lines: Array<{ level: string; event: string; fields?: Record<string, unknown> }> } {
  const lines: Array<{ level: string; event: string; fields?: Record<string, unknown> }> = []
  return {
    lines,
    info: (event, fields) => lines.push({ level: 'info', event, fields }),
    error: (event, fields) => lines.push({ level: 'error', event, fields }),
  }
}
