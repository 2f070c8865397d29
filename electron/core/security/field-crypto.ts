// Protection of sensitive fields at rest (身份证号 and the like), on sm-crypto-v2, always with byte
// arrays (its string inputs are ambiguous between hex and UTF-8) and never with its defaults:
// SM4-GCM with a fresh random 96-bit IV per value, the field's context as associated data (a value
// copied into another column does not decrypt), and the tag always checked. Lookup by exact value
// goes through a keyed HMAC-SM3 "blind index", never through the plaintext.
import { randomBytes } from 'node:crypto'
import { sm3, sm4 } from 'sm-crypto-v2'
import { ErrorCode } from '../../contract/errors'
import { AppError } from '../shared/app-error'

export interface FieldKeys {
  /** 16 bytes, SM4. */
  encKey: Uint8Array
  /** 32 bytes, HMAC-SM3 for blind indexes. */
  indexKey: Uint8Array
}

const FORMAT = 'f1'
const utf8 = (s: string) => new TextEncoder().encode(s)
const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64')

export function sealField(keys: FieldKeys, plaintext: string, context: string): string {
  const { iv, ct, tag } = gcmSeal(keys.encKey, utf8(plaintext), context)
  return [FORMAT, b64(iv), b64(ct), b64(tag)].join(':')
}

export function openField(keys: FieldKeys, sealed: string, context: string): string {
  const [format, iv, ct, tag] = sealed.split(':')
  if (format !== FORMAT || !iv || ct === undefined || !tag) throw new AppError(ErrorCode.FieldDecryptFailed, 'unknown sealed format')
  const plain = gcmOpen(keys.encKey, Buffer.from(iv, 'base64'), Buffer.from(tag, 'base64'), Buffer.from(ct, 'base64'), context)
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(plain)
  } catch {
    throw new AppError(ErrorCode.FieldDecryptFailed, 'tag mismatch or wrong key')
  }
}

export const SEALED_FILE_MAGIC = Buffer.from('CDF1') // format 1: magic | iv(12) | tag(16) | ciphertext, under the field key
export const SEALED_FILE_MAGIC_2 = Buffer.from('CDF2')
/** Format 2 (what is written): magic | the file's own key sealed under the field key (iv 12, ct 16, tag 16) | iv(12) | tag(16) | ciphertext under the file's key. */
const WRAPPED_FILE_KEY = 44
/** The most of a sealed file's start needed to know how to open it. */
export const SEALED_FILE_HEAD = 4 + WRAPPED_FILE_KEY + 28

/** SM4-GCM with a fresh random 96-bit IV and the context as associated data: every value and file here is sealed so. */
function gcmSeal(key: Uint8Array, plaintext: Uint8Array, aad: string) {
  const iv = randomBytes(12)
  const { output, tag } = sm4.encrypt(plaintext, key, { mode: 'gcm', iv, associatedData: utf8(aad), output: 'array', outputTag: true })
  if (!tag) throw new Error('SM4-GCM returned no tag')
  return { iv, tag: Buffer.from(tag), ct: Buffer.from(output.buffer, output.byteOffset, output.byteLength) }
}

function gcmOpen(key: Uint8Array, iv: Uint8Array, tag: Uint8Array, ct: Uint8Array, aad: string): Buffer {
  try {
    const plain = sm4.decrypt(ct, key, { mode: 'gcm', iv, tag, associatedData: utf8(aad), output: 'array' })
    return Buffer.from(plain.buffer, plain.byteOffset, plain.byteLength)
  } catch {
    throw new AppError(ErrorCode.FieldDecryptFailed, 'tag mismatch or wrong key')
  }
}

const fileKeyContext = (context: string) => `${context}.file-key`

/**
 * Seals a whole file (a scanned document) under a key of its own, that key sealed under the field key; both
 * SM4-GCM with fresh IVs, the context bound. A transfer package can then carry the file's ciphertext as it is and
 * hand the recipient only this file's key, inside the package's encryption (docs/design.md).
 */
export function sealBytes(keys: FieldKeys, plaintext: Uint8Array, context: string): Buffer {
  const fileKey = randomBytes(16)
  const wrapped = gcmSeal(keys.encKey, fileKey, fileKeyContext(context))
  const body = gcmSeal(fileKey, plaintext, context)
  return Buffer.concat([SEALED_FILE_MAGIC_2, wrapped.iv, wrapped.ct, wrapped.tag, body.iv, body.tag, body.ct])
}

export interface SealedFileHead {
  /** The key the body is sealed under: the file's own (format 2) or the field key (format 1). */
  key: Buffer
  iv: Buffer
  tag: Buffer
  /** Where the ciphertext starts. */
  bodyStart: number
  /** Format 2: where the part a package may carry as it is (iv, tag, ciphertext) starts; null for format 1. */
  portableStart: number | null
}

/** How a sealed file opens, from its first SEALED_FILE_HEAD bytes (all of it if shorter). */
export function sealedFileHead(keys: FieldKeys, head: Uint8Array, context: string): SealedFileHead {
  const b = Buffer.from(head.buffer, head.byteOffset, head.byteLength)
  const magic = b.subarray(0, 4)
  if (magic.equals(SEALED_FILE_MAGIC) && b.length >= 32)
    return { key: Buffer.from(keys.encKey), iv: b.subarray(4, 16), tag: b.subarray(16, 32), bodyStart: 32, portableStart: null }
  if (magic.equals(SEALED_FILE_MAGIC_2) && b.length >= SEALED_FILE_HEAD) {
    const key = gcmOpen(keys.encKey, b.subarray(4, 16), b.subarray(32, 48), b.subarray(16, 32), fileKeyContext(context))
    return { key, iv: b.subarray(48, 60), tag: b.subarray(60, 76), bodyStart: SEALED_FILE_HEAD, portableStart: 48 }
  }
  throw new AppError(ErrorCode.FieldDecryptFailed, 'unknown sealed file format')
}

export function openBytes(keys: FieldKeys, sealed: Uint8Array, context: string): Buffer {
  const b = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength) // a view: scans run to 20 MB, copies add up
  const head = sealedFileHead(keys, b.subarray(0, SEALED_FILE_HEAD), context)
  return gcmOpen(head.key, head.iv, head.tag, b.subarray(head.bodyStart), context)
}

/** A sealed file's portable part (iv | tag | ciphertext, as a package carries it) opened with the file's key. */
export function openPortable(key: Uint8Array, portable: Uint8Array, context: string): Buffer {
  if (portable.length < 28) throw new AppError(ErrorCode.FieldDecryptFailed, 'sealed file too short')
  return gcmOpen(key, portable.subarray(0, 12), portable.subarray(12, 28), portable.subarray(28), context)
}

/** Keyed, deterministic: equal values give equal indexes, and without the key the index reveals nothing. */
export function blindIndex(keys: FieldKeys, normalized: string, context: string): string {
  return sm3(utf8(`${context}\u0000${normalized}`), { key: keys.indexKey, mode: 'hmac' })
}

/** Shows the first 6 and last 4 characters, as on printed 双公示 lists: 110105********002X. */
export function maskIdNumber(value: string): string {
  return value.length <= 10 ? '*'.repeat(value.length) : `${value.slice(0, 6)}${'*'.repeat(value.length - 10)}${value.slice(-4)}`
}
