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
  const iv = randomBytes(12)
  const { output, tag } = sm4.encrypt(utf8(plaintext), keys.encKey, {
    mode: 'gcm',
    iv,
    associatedData: utf8(context),
    output: 'array',
    outputTag: true,
  })
  if (!tag) throw new Error('SM4-GCM returned no tag')
  return [FORMAT, b64(iv), b64(output), b64(tag)].join(':')
}

export function openField(keys: FieldKeys, sealed: string, context: string): string {
  const [format, iv, ct, tag] = sealed.split(':')
  if (format !== FORMAT || !iv || ct === undefined || !tag) throw new AppError(ErrorCode.FieldDecryptFailed, 'unknown sealed format')
  try {
    const plain = sm4.decrypt(Buffer.from(ct, 'base64'), keys.encKey, {
      mode: 'gcm',
      iv: Buffer.from(iv, 'base64'),
      associatedData: utf8(context),
      tag: Buffer.from(tag, 'base64'),
      output: 'array',
    })
    return new TextDecoder('utf-8', { fatal: true }).decode(plain)
  } catch {
    throw new AppError(ErrorCode.FieldDecryptFailed, 'tag mismatch or wrong key')
  }
}

export const SEALED_FILE_MAGIC = Buffer.from('CDF1') // credit-desk sealed file, format 1: magic | iv(12) | tag(16) | ciphertext

/** Seals a whole file (a scanned document) the same way as a field: SM4-GCM, fresh IV, context bound. */
export function sealBytes(keys: FieldKeys, plaintext: Uint8Array, context: string): Buffer {
  const iv = randomBytes(12)
  const { output, tag } = sm4.encrypt(plaintext, keys.encKey, {
    mode: 'gcm',
    iv,
    associatedData: utf8(context),
    output: 'array',
    outputTag: true,
  })
  if (!tag) throw new Error('SM4-GCM returned no tag')
  return Buffer.concat([SEALED_FILE_MAGIC, iv, Buffer.from(tag), Buffer.from(output)])
}

export function openBytes(keys: FieldKeys, sealed: Uint8Array, context: string): Buffer {
  const b = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength) // a view: scans run to 20 MB, copies add up
  if (b.length < 32 || !b.subarray(0, 4).equals(SEALED_FILE_MAGIC))
    throw new AppError(ErrorCode.FieldDecryptFailed, 'unknown sealed file format')
  try {
    const plain = sm4.decrypt(b.subarray(32), keys.encKey, {
      mode: 'gcm',
      iv: b.subarray(4, 16),
      tag: b.subarray(16, 32),
      associatedData: utf8(context),
      output: 'array',
    })
    return Buffer.from(plain.buffer, plain.byteOffset, plain.byteLength)
  } catch {
    throw new AppError(ErrorCode.FieldDecryptFailed, 'tag mismatch or wrong key')
  }
}

/** Keyed, deterministic: equal values give equal indexes, and without the key the index reveals nothing. */
export function blindIndex(keys: FieldKeys, normalized: string, context: string): string {
  return sm3(utf8(`${context}\u0000${normalized}`), { key: keys.indexKey, mode: 'hmac' })
}

/** Shows the first 6 and last 4 characters, as on printed 双公示 lists: 110105********002X. */
export function maskIdNumber(value: string): string {
  return value.length <= 10 ? '*'.repeat(value.length) : `${value.slice(0, 6)}${'*'.repeat(value.length - 10)}${value.slice(-4)}`
}
