// The 备份口令 (recovery passphrase) and the key derived from it. Backups are sealed with a key that scrypt derives
// from the passphrase, so a backup opens on any PC for whoever knows the passphrase, and for nobody else. The derived
// key (never the passphrase) is kept in keys/backup-key.json, wrapped by the OS key store where there is one, so the
// daily backup needs no typing. A check value lets a wrong passphrase be told apart from a damaged file.
import { scrypt } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import { ErrorCode } from '../../contract/errors'
import { hmacSm3, randomBytes } from '../exchange/gm'
import { KEY_DIR, noProtector, type KeyProtector } from '../security/key-store'
import { passwordIssues } from '../security/password-policy'
import { AppError, fieldError } from '../shared/app-error'
import { ensurePrivateDir } from '../shared/private-files'
import { writeFileAtomic } from '../shared/write-file'

export const BACKUP_KEY_FILE = 'backup-key.json'

/** scrypt parameters, stored with every backup so they can be raised later. 2^17 × 8 costs 128 MiB and ~0.4 s. */
export const BackupKdf = z.object({
  name: z.literal('scrypt'),
  // Bounded on reading: a hostile header must not make us allocate gigabytes or spin for hours.
  N: z
    .number()
    .int()
    .refine((n) => n >= 2 ** 14 && n <= 2 ** 20 && (n & (n - 1)) === 0),
  r: z.number().int().min(8).max(16),
  p: z.number().int().min(1).max(4),
  salt: z.string().regex(/^[0-9a-f]{32}$/),
})
export type BackupKdf = z.infer<typeof BackupKdf>

const DEFAULT_COST = { N: 2 ** 17, r: 8, p: 1 }

export function newKdf(): BackupKdf {
  return { name: 'scrypt', ...DEFAULT_COST, salt: randomBytes(16).toString('hex') }
}

/** The 32-byte secret the passphrase gives under these parameters (NFKC, so full-width input types the same). */
export function deriveBackupSecret(passphrase: string, kdf: BackupKdf): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(
      passphrase.normalize('NFKC'),
      Buffer.from(kdf.salt, 'hex'),
      32,
      { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: 256 * kdf.N * kdf.r },
      (err, key) => (err ? reject(err) : resolve(key)),
    ),
  )
}

/** Stored beside the parameters: whether a secret is the right one, without revealing it. */
export function secretCheck(secret: Uint8Array): string {
  return hmacSm3(secret, Buffer.from('credit-desk-backup passphrase check')).subarray(0, 16).toString('hex')
}

export interface BackupKey {
  kdf: BackupKdf
  check: string
  secret: Buffer
  setAt: string
}

const StoredKey = z.object({
  version: z.literal(1),
  protection: z.enum(['os', 'none']),
  kdf: BackupKdf,
  check: z.string(),
  secret: z.string(),
  setAt: z.string(),
})

/** The passphrase rule: as for passwords (8+ characters, 3 of 4 classes), typed twice. */
export function passphraseIssues(passphrase: string, repeat: string) {
  const issues = passwordIssues('passphrase', passphrase, '')
  if (passphrase !== repeat) issues.push({ path: 'repeat', message: 'password.mismatch' })
  return issues
}

/** Sets (or replaces) the passphrase: derives the key and keeps it wrapped. Older backups keep their own passphrase. */
export async function setBackupPassphrase(
  dataDir: string,
  protector: KeyProtector,
  passphrase: string,
  repeat: string,
  now: Date,
): Promise<BackupKey> {
  const issues = passphraseIssues(passphrase, repeat)
  if (issues.length) throw fieldError(issues)
  const kdf = newKdf()
  const secret = await deriveBackupSecret(passphrase, kdf)
  const key: BackupKey = { kdf, check: secretCheck(secret), secret, setAt: now.toISOString() }
  ensurePrivateDir(join(dataDir, KEY_DIR))
  const stored = {
    version: 1,
    protection: protector.kind,
    kdf,
    check: key.check,
    secret: protector.protect(secret).toString('base64'),
    setAt: key.setAt,
  }
  writeFileAtomic(join(dataDir, KEY_DIR, BACKUP_KEY_FILE), JSON.stringify(stored, null, 2))
  return key
}

/** The stored key, or null when no passphrase has been set in this data folder. */
export function loadBackupKey(dataDir: string, protector: KeyProtector): BackupKey | null {
  const file = join(dataDir, KEY_DIR, BACKUP_KEY_FILE)
  if (!existsSync(file)) return null
  const parsed = StoredKey.safeParse(JSON.parse(readFileSync(file, 'utf8')))
  if (!parsed.success) throw new AppError(ErrorCode.KeysMissing, 'backup key file damaged', { reason: 'backup_key' })
  const stored = parsed.data
  if (stored.protection === 'os' && protector.kind !== 'os')
    throw new AppError(ErrorCode.KeysUnavailable, 'backup key is protected by the desktop app', { reason: 'backup_key' })
  const secret = (stored.protection === 'os' ? protector : noProtector).unprotect(Buffer.from(stored.secret, 'base64'))
  if (secret.length !== 32 || secretCheck(secret) !== stored.check)
    throw new AppError(ErrorCode.KeysMissing, 'backup key file damaged', { reason: 'backup_key' })
  return { kdf: stored.kdf, check: stored.check, secret, setAt: stored.setAt }
}
