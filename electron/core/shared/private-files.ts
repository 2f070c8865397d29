// The data folder holds civil servants' personal data: on a shared PC only its owner may read it. A 0700 folder
// already keeps others out; files are 0600 as well, so a copy moved elsewhere keeps its protection. (On Windows
// chmod only toggles read-only; there the folder sits in the user's own profile.)
import { chmodSync, mkdirSync } from 'node:fs'

const PRIVATE_DIR_MODE = 0o700
export const PRIVATE_FILE_MODE = 0o600

export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE })
  chmodSync(dir, PRIVATE_DIR_MODE)
}

/** Makes existing files owner-only; a name that does not exist (yet) is skipped. */
export function makePrivate(...files: string[]): void {
  for (const file of files) {
    try {
      chmodSync(file, PRIVATE_FILE_MODE)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
    }
  }
}
