import { renameSync, rmSync, writeFileSync } from 'node:fs'

/** Writes under a temporary name and renames, so a failed write never leaves half a file. */
export function writeFileAtomic(path: string, data: Buffer | Uint8Array | string): void {
  const tmp = `${path}.partial`
  try {
    writeFileSync(tmp, data, { flush: true })
    renameSync(tmp, path)
  } catch (err) {
    rmSync(tmp, { force: true })
    throw err
  }
}
