// Scanned documents behind archive entries, stored once by content under attachments/, sealed with
// SM4-GCM. The address is a keyed digest (HMAC-SHA256 with the index key), so equal files share one
// copy but nobody without the key can confirm a known document. The file must be what its name says
// (checked by its first bytes) and within the size limit.
import { createHmac } from 'node:crypto'
import { existsSync, openSync, readSync, closeSync, readFileSync, statSync } from 'node:fs'
import { extname, join } from 'node:path'
import type { Knex } from 'knex'
import { ErrorCode } from '../../contract/errors'
import { AppError } from '../shared/app-error'
import { sm3Digest } from '../exchange/gm'
import { openBytes, openField, sealBytes, sealField, type FieldKeys } from '../security/field-crypto'
import { writeFileAtomic } from '../shared/write-file'
import { ensurePrivateDir } from '../shared/private-files'

const MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
export const ATTACHMENT_DIR = 'attachments'

const TYPES: Array<{ mime: string; extensions: string[]; magic: (b: Buffer) => boolean }> = [
  { mime: 'application/pdf', extensions: ['.pdf'], magic: (b) => b.subarray(0, 5).toString('latin1') === '%PDF-' },
  { mime: 'image/jpeg', extensions: ['.jpg', '.jpeg'], magic: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  {
    mime: 'image/png',
    extensions: ['.png'],
    magic: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  },
  { mime: 'image/tiff', extensions: ['.tif', '.tiff'], magic: (b) => ['II*\0', 'MM\0*'].includes(b.subarray(0, 4).toString('latin1')) },
]

export const ATTACHMENT_EXTENSIONS = TYPES.flatMap((t) => t.extensions.map((e) => e.slice(1)))

/** A unit's returned 反馈表, kept with the reports it brought in (never offered where a scan is asked for). */
const WORKBOOK_TYPE = {
  mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  extensions: ['.xlsx'],
  magic: (b: Buffer) => b.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04])),
}

function head(path: string): Buffer {
  const fd = openSync(path, 'r')
  try {
    const b = Buffer.alloc(16)
    readSync(fd, b, 0, 16, 0)
    return b
  } finally {
    closeSync(fd)
  }
}

export function attachmentPath(dataDir: string, digest: string): string {
  return join(dataDir, ATTACHMENT_DIR, digest.slice(0, 2), digest)
}

/** Associated data of a sealed scan: a file sealed for another purpose does not open as one. */
export const ATTACHMENT_CONTEXT = 'attachments'
const SM3_CONTEXT = 'attachments.sm3'

/** The plaintext of a stored scan (for viewing by someone holding an access grant). */
export function readAttachment(keys: FieldKeys, dataDir: string, digest: string): Buffer {
  return openBytes(keys, readFileSync(attachmentPath(dataDir, digest)), ATTACHMENT_CONTEXT)
}

/** Stores the file (once per content) and returns its hash and type; refuses a file that lies about its type. */
export async function storeAttachment(
  db: Knex,
  keys: FieldKeys,
  dataDir: string,
  path: string,
  now: number,
  accept: 'scan' | 'workbook' = 'scan',
): Promise<{ digest: string; mime: string; size: number }> {
  const size = statSync(path).size
  if (size > MAX_ATTACHMENT_BYTES)
    throw new AppError(ErrorCode.AttachmentRejected, 'too large', { reason: 'too_large', limitMb: MAX_ATTACHMENT_BYTES / 1024 / 1024 })
  if (size === 0) throw new AppError(ErrorCode.AttachmentRejected, 'empty', { reason: 'empty' })
  const claimed = (accept === 'scan' ? TYPES : [WORKBOOK_TYPE]).find((t) => t.extensions.includes(extname(path).toLowerCase()))
  if (!claimed) throw new AppError(ErrorCode.AttachmentRejected, 'unsupported type', { reason: 'unsupported' })
  if (!claimed.magic(head(path)))
    throw new AppError(ErrorCode.AttachmentRejected, 'content does not match the extension', {
      reason: 'mismatch',
      claimed: extname(path).toLowerCase(),
    })
  const bytes = readFileSync(path)
  const digest = createHmac('sha256', keys.indexKey).update(bytes).digest('hex')
  const target = attachmentPath(dataDir, digest)
  let fileSm3: string | null = null
  if (!existsSync(target)) {
    ensurePrivateDir(join(dataDir, ATTACHMENT_DIR, digest.slice(0, 2)))
    const sealed = sealBytes(keys, bytes, ATTACHMENT_CONTEXT)
    fileSm3 = sm3Digest(sealed).toString('hex')
    writeFileAtomic(target, sealed)
  }
  const sm3Sealed = sealField(keys, sm3Digest(bytes).toString('hex'), SM3_CONTEXT)
  await db('attachments')
    .insert({ digest, size, mime: claimed.mime, created_at: now, sm3_sealed: sm3Sealed, file_sm3: fileSm3 })
    .onConflict('digest')
    .ignore()
  await db('attachments').where({ digest }).whereNull('sm3_sealed').update({ sm3_sealed: sm3Sealed })
  return { digest, mime: claimed.mime, size }
}

/** The SM3 of a stored scan's sealed file as written, or null (sealed before it was kept). */
export async function attachmentFileSm3(db: Knex, digest: string): Promise<string | null> {
  return (await db('attachments').where({ digest }).first('file_sm3'))?.file_sm3 ?? null
}

/** A stored scan's SM3 (hex), or null for a scan stored before it was kept. */
export async function attachmentSm3(db: Knex, keys: FieldKeys, digest: string): Promise<string | null> {
  const row = (await db('attachments').where({ digest }).first('sm3_sealed')) as { sm3_sealed: string | null } | undefined
  return row?.sm3_sealed ? openField(keys, row.sm3_sealed, SM3_CONTEXT) : null
}

export async function rememberAttachmentSm3(db: Knex, keys: FieldKeys, digest: string, sm3: string): Promise<void> {
  await db('attachments')
    .where({ digest })
    .whereNull('sm3_sealed')
    .update({ sm3_sealed: sealField(keys, sm3, SM3_CONTEXT) })
}
