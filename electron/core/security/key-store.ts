import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Knex } from 'knex'
import { sm3 } from 'sm-crypto-v2'
import { ErrorCode } from '../../contract/errors'
import { AppError } from '../shared/app-error'
import type { FieldKeys } from './field-crypto'

/**
 * Wraps the key file's secret. The desktop app uses the operating system's store (Electron
 * safeStorage: DPAPI on Windows, the keyring on Linux) where one exists; `none` leaves it to the
 * file's permissions, for the command line and for PCs without a keyring.
 */
export interface KeyProtector {
  kind: 'os' | 'none'
  protect(secret: Buffer): Buffer
  unprotect(wrapped: Buffer): Buffer
}

export const noProtector: KeyProtector = { kind: 'none', protect: (b) => b, unprotect: (b) => b }

export const KEY_DIR = 'keys'
const KEY_FILE = 'field-keys.json'
const FINGERPRINT_SETTING = 'field_key_fingerprint'

/** The fingerprint of the field key this database was sealed with (empty before the first key). */
export async function fieldKeyFingerprint(db: Knex): Promise<string> {
  return (await db('settings').where('key', FINGERPRINT_SETTING).first('value'))?.value ?? ''
}

function fingerprint(secret: Buffer): string {
  return sm3(new Uint8Array(secret)).slice(0, 16)
}

function split(secret: Buffer): FieldKeys {
  return { encKey: new Uint8Array(secret.subarray(0, 16)), indexKey: new Uint8Array(secret.subarray(16, 48)) }
}

/**
 * The field keys of this data folder. They live in keys/, apart from the database and its backups,
 * so a copied database file (or backup) does not carry the means to read its ID numbers. The
 * database records the key's fingerprint: a missing or different key file is refused, never
 * silently replaced (that would make every stored ID number unreadable).
 */
export async function loadFieldKeys(db: Knex, dataDir: string, protector: KeyProtector): Promise<FieldKeys> {
  const dir = join(dataDir, KEY_DIR)
  const file = join(dir, KEY_FILE)
  const recorded = (await db('settings').where('key', FINGERPRINT_SETTING).first('value'))?.value as string | undefined
  if (!existsSync(file)) {
    if (recorded) throw new AppError(ErrorCode.KeysMissing, 'key file missing', { dir, fingerprint: recorded })
    const secret = randomBytes(48)
    const stored = {
      version: 1,
      protection: protector.kind,
      secret: protector.protect(secret).toString('base64'),
      createdAt: new Date().toISOString(),
    }
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    writeFileSync(`${file}.partial`, JSON.stringify(stored, null, 2), { mode: 0o600 })
    renameSync(`${file}.partial`, file)
    await db('settings')
      .insert({ key: FINGERPRINT_SETTING, value: fingerprint(secret) })
      .onConflict('key')
      .merge()
    return split(secret)
  }
  const stored = JSON.parse(readFileSync(file, 'utf8')) as { version: number; protection: 'os' | 'none'; secret: string }
  if (stored.protection === 'os' && protector.kind !== 'os')
    throw new AppError(ErrorCode.KeysUnavailable, 'key is protected by the desktop app', { dir })
  const secret = (stored.protection === 'os' ? protector : noProtector).unprotect(Buffer.from(stored.secret, 'base64'))
  if (secret.length !== 48) throw new AppError(ErrorCode.KeysMissing, 'key file damaged', { dir })
  if (recorded && recorded !== fingerprint(secret)) throw new AppError(ErrorCode.KeysMismatch, 'key belongs to another database', { dir })
  if (!recorded) await db('settings').insert({ key: FINGERPRINT_SETTING, value: fingerprint(secret) })
  return split(secret)
}
