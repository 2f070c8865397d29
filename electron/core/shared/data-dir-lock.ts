// One writer at a time on a data folder, across the desktop app and the command line: a lock file naming who holds
// it. Held for the life of the process (re-entrant within it) and removed at exit; a lock whose process has died
// (kill -9, power cut) on this machine is taken over. A holder on another machine (a shared folder) is respected.
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { hostname, uptime, userInfo } from 'node:os'
import { join } from 'node:path'
import { ErrorCode } from '../../contract/errors'
import { AppError } from './app-error'
import { PRIVATE_FILE_MODE } from './private-files'

export const LOCK_FILE = 'credit-desk.lock'

export interface LockHolder {
  program: 'app' | 'cli'
  pid: number
  host: string
  user: string
  since: number
}

const held = new Set<string>()

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM' // exists, owned by someone else
  }
}

function readHolder(file: string): LockHolder | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as LockHolder
  } catch {
    return null // unreadable or half-written: treated as stale
  }
}

let exitHooked = false
function releaseAllAtExit(): void {
  if (exitHooked) return
  exitHooked = true
  process.on('exit', () => {
    for (const file of held) {
      const holder = readHolder(file)
      if (holder?.pid === process.pid) rmSync(file, { force: true })
    }
  })
}

/** Takes the data folder's lock for this process, or throws DB_LOCKED naming the holder. */
export function lockDataDir(
  dataDir: string,
  program: LockHolder['program'] = process.versions.electron ? 'app' : 'cli',
  now = Date.now(),
): void {
  const file = join(dataDir, LOCK_FILE)
  if (held.has(file) && readHolder(file)?.pid === process.pid) return
  const me: LockHolder = { program, pid: process.pid, host: hostname(), user: safeUser(), since: now }
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, JSON.stringify(me), { flag: 'wx', mode: PRIVATE_FILE_MODE })
      held.add(file)
      releaseAllAtExit()
      return
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    }
    const holder = readHolder(file)
    // Stale: unreadable, or from this machine and either our own pid, a dead one, or taken before the last boot
    // (after a power cut the pid may now belong to some other program).
    const bootedAt = Date.now() - uptime() * 1000
    const stale = !holder || (holder.host === hostname() && (holder.pid === process.pid || !alive(holder.pid) || holder.since < bootedAt))
    if (!stale) throw new AppError(ErrorCode.DbLocked, 'data folder locked by another process', { holder })
    rmSync(file, { force: true })
  }
  throw new AppError(ErrorCode.DbLocked, 'data folder lock contended', { holder: readHolder(file) })
}

/** Gives the lock up before the process ends (tests that hand a folder to a child process). */
export function unlockDataDir(dataDir: string): void {
  const file = join(dataDir, LOCK_FILE)
  if (held.delete(file) && readHolder(file)?.pid === process.pid) rmSync(file, { force: true })
}

function safeUser(): string {
  try {
    return userInfo().username
  } catch {
    return ''
  }
}
