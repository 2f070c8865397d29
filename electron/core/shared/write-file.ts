import { renameSync, rmSync, writeFileSync } from 'node:fs'
import { PRIVATE_FILE_MODE } from './private-files'

/** Writes under a temporary name and renames, so a failed write never leaves half a file. Owner-only (0600). */
export function writeFileAtomic(path: string, data: Buffer | Uint8Array | string): void {
  const tmp = `${path}.partial`
  try {
    writeFileSync(tmp, data, { flush: true, mode: PRIVATE_FILE_MODE })
    renameSync(tmp, path)
  } catch (err) {
    rmSync(tmp, { force: true })
    throw err
  }
}
