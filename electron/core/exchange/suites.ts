// The two algorithm suites a package may use. Keys cross this boundary as PEM text (what the key files hold).
//   SM (default): SM2 wraps the 32-byte package secret (C1C3C2, GM/T 0009 DER) and signs (ID 1234567812345678);
//     HKDF-SM3 → SM4-CTR key (16) + HMAC-SM3 key (32); each chunk is SM4-CTR, then HMAC-SM3 over
//     H(header) || u64 index || last flag || ciphertext (a STREAM-style construction: no reorder, no cut).
//     Format 2 adds a clear flag to that data and records already ciphertext (sealed scans), only authenticated.
//   Standard (per peer, where a city asks for it): X25519 + HKDF-SHA256 + AES-256-GCM wraps the secret;
//     chunks are AES-256-GCM with the same associated data; Ed25519 signs.
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  sign as edSign,
  verify as edVerify,
  type KeyObject,
} from 'node:crypto'
import {
  equalBytes,
  hkdfSm3,
  hmacSm3,
  randomBytes,
  sm2Decrypt,
  sm2Encrypt,
  sm2GenerateKeyPair,
  sm2Sign,
  sm2Verify,
  sm3Digest,
  sm4Ctr,
  counterAt,
} from './gm'
import { keyFingerprint, readSm2PrivateKeyPem, readSm2PublicKeyPem, sm2PrivateKeyPem, sm2PublicKeyDer, sm2PublicKeyPem } from './key-files'

export type { SuiteName } from '../../contract/schemas/exchange'
import type { SuiteName } from '../../contract/schemas/exchange'
export const SUITES: SuiteName[] = ['SM2-SM3-SM4', 'X25519-Ed25519-AES256GCM']

export interface ChunkKeys {
  enc: Buffer
  mac: Buffer
}

export interface Suite {
  name: SuiteName
  tagLength: number
  hash(data: Uint8Array): Buffer
  generate(): { privatePem: string; publicPem: string }
  /** Fingerprint of a public key file (hash of its SPKI DER); refuses a file of the other suite. */
  fingerprint(publicPem: string): string
  publicFromPrivate(privatePem: string): string
  /** Whether a wrapped content key of this many bytes can be this suite's (checked with the header). */
  wrappedKeyFits(length: number): boolean
  wrap(secret: Uint8Array, recipientPublicPem: string): Buffer
  unwrap(wrapped: Uint8Array, recipientPrivatePem: string): Buffer | null
  deriveKeys(secret: Uint8Array, salt: Uint8Array): ChunkKeys
  sealChunk(keys: ChunkKeys, aad: Uint8Array, index: number, plain: Uint8Array): Buffer
  /** The same, the ciphertext written over the plaintext where it lies; returns the tag. */
  sealInPlace(keys: ChunkKeys, aad: Uint8Array, index: number, data: Uint8Array): Buffer
  /** The plaintext, or null when the tag does not match. */
  openChunk(keys: ChunkKeys, aad: Uint8Array, index: number, record: Uint8Array, decrypt: boolean): Buffer | null
  /** The plaintext of a record whose bytes were verified before (the tag is not checked again where that costs a pass). */
  decryptChunk(keys: ChunkKeys, aad: Uint8Array, index: number, record: Uint8Array): Buffer | null
  /** Format 2: the tag of a record whose data is already ciphertext (authenticated, not encrypted again). */
  tagClear(keys: ChunkKeys, aad: Uint8Array, index: number, data: Uint8Array): Buffer
  checkClear(keys: ChunkKeys, aad: Uint8Array, index: number, data: Uint8Array, tag: Uint8Array): boolean
  sign(message: Uint8Array, privatePem: string): Buffer
  verify(message: Uint8Array, signature: Uint8Array, publicPem: string): boolean
}

const KEYS_INFO = 'credit-desk-package v1 keys'
const WRAP_INFO = 'credit-desk-package v1 wrap'

/** IV / nonce of chunk `index`: the index in the high 64 bits, the block counter below it. */
/** Bytes sealed per library call when sealing in place. */
const IN_PLACE_SLICE = 64 * 1024

function chunkIv(index: number, length: number): Buffer {
  const iv = Buffer.alloc(length)
  iv.writeBigUInt64BE(BigInt(index), 0)
  return iv
}

const sm: Suite = {
  name: 'SM2-SM3-SM4',
  tagLength: 32,
  hash: sm3Digest,
  generate() {
    const key = sm2GenerateKeyPair()
    return { privatePem: sm2PrivateKeyPem(key), publicPem: sm2PublicKeyPem(key.publicKey) }
  },
  fingerprint: (publicPem) => keyFingerprint(sm2PublicKeyDer(readSm2PublicKeyPem(publicPem))),
  publicFromPrivate: (privatePem) => sm2PublicKeyPem(readSm2PrivateKeyPem(privatePem).publicKey),
  // DER SEQUENCE of C1x, C1y (INTEGER, 32 or 33 bytes), C3 (32), C2 (32): 135 to 141 bytes with its headers.
  wrappedKeyFits: (length) => length >= 100 && length <= 144,
  wrap: (secret, recipientPublicPem) => sm2Encrypt(secret, readSm2PublicKeyPem(recipientPublicPem)),
  unwrap: (wrapped, privatePem) => sm2Decrypt(wrapped, readSm2PrivateKeyPem(privatePem).privateKey),
  deriveKeys(secret, salt) {
    const k = hkdfSm3(secret, salt, KEYS_INFO, 48)
    return { enc: k.subarray(0, 16), mac: k.subarray(16) }
  },
  sealChunk(keys, aad, index, plain) {
    const ct = sm4Ctr(keys.enc, chunkIv(index, 16), plain)
    return Buffer.concat([ct, hmacSm3(keys.mac, aad, ct)])
  },
  sealInPlace(keys, aad, index, data) {
    // In slices: the pure-JS library's copies of each stay small and die young. (A chunk's counter starts with its
    // low 32 bits at zero: a megabyte never carries out of them, so each slice's counter is counterAt's.)
    const iv = chunkIv(index, 16)
    for (let at = 0; at < data.length; at += IN_PLACE_SLICE)
      data.set(sm4Ctr(keys.enc, counterAt(iv, at), data.subarray(at, at + IN_PLACE_SLICE)), at)
    return hmacSm3(keys.mac, aad, data)
  },
  openChunk(keys, aad, index, record, decrypt) {
    const ct = record.subarray(0, record.length - 32)
    if (!equalBytes(hmacSm3(keys.mac, aad, ct), record.subarray(record.length - 32))) return null
    return decrypt ? sm4Ctr(keys.enc, chunkIv(index, 16), ct) : Buffer.alloc(0)
  },
  decryptChunk: (keys, _aad, index, record) => sm4Ctr(keys.enc, chunkIv(index, 16), record.subarray(0, record.length - 32)),
  tagClear: (keys, aad, _index, data) => hmacSm3(keys.mac, aad, data),
  checkClear: (keys, aad, _index, data, tag) => equalBytes(hmacSm3(keys.mac, aad, data), tag),
  sign: (message, privatePem) => sm2Sign(message, readSm2PrivateKeyPem(privatePem)),
  verify: (message, signature, publicPem) => sm2Verify(message, signature, readSm2PublicKeyPem(publicPem)),
}

// The standard suite's key file holds two PEM blocks: the X25519 key (receives) and the Ed25519 key (signs).
const PEM_BLOCK = /-----BEGIN ([A-Z ]+)-----[\s\S]*?-----END \1-----\n?/g

function stdKeys(pemText: string, kind: 'private' | 'public'): { x: KeyObject; ed: KeyObject } {
  const blocks = pemText.match(PEM_BLOCK) ?? []
  const objects = blocks.map((b) => (kind === 'private' ? createPrivateKey(b) : createPublicKey(b)))
  const x = objects.find((k) => k.asymmetricKeyType === 'x25519')
  const ed = objects.find((k) => k.asymmetricKeyType === 'ed25519')
  if (!x || !ed || objects.length !== 2) throw new Error('a standard-suite key file holds one X25519 and one Ed25519 key')
  return { x, ed }
}

const spki = (k: KeyObject) => k.export({ type: 'spki', format: 'der' })
const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest()

function gcmSeal(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, plain: Uint8Array): Buffer {
  const c = createCipheriv('aes-256-gcm', key, nonce)
  c.setAAD(aad)
  return Buffer.concat([c.update(plain), c.final(), c.getAuthTag()])
}

function gcmOpen(key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, sealed: Uint8Array): Buffer | null {
  try {
    const d = createDecipheriv('aes-256-gcm', key, nonce)
    d.setAAD(aad)
    d.setAuthTag(sealed.subarray(sealed.length - 16))
    return Buffer.concat([d.update(sealed.subarray(0, sealed.length - 16)), d.final()])
  } catch {
    return null
  }
}

const standard: Suite = {
  name: 'X25519-Ed25519-AES256GCM',
  tagLength: 16,
  hash: sha256,
  generate() {
    const x = generateKeyPairSync('x25519')
    const ed = generateKeyPairSync('ed25519')
    const priv = (k: KeyObject) => k.export({ type: 'pkcs8', format: 'pem' }) as string
    const pub = (k: KeyObject) => k.export({ type: 'spki', format: 'pem' }) as string
    return { privatePem: priv(x.privateKey) + priv(ed.privateKey), publicPem: pub(x.publicKey) + pub(ed.publicKey) }
  },
  fingerprint(publicPem) {
    const { x, ed } = stdKeys(publicPem, 'public')
    return sha256(Buffer.concat([spki(x), spki(ed)])).toString('hex')
  },
  publicFromPrivate(privatePem) {
    const { x, ed } = stdKeys(privatePem, 'private')
    return [x, ed].map((k) => createPublicKey(k).export({ type: 'spki', format: 'pem' }) as string).join('')
  },
  wrappedKeyFits: (length) => length === 32 + 32 + 16, // ephemeral X25519 key, wrapped secret, GCM tag
  wrap(secret, recipientPublicPem) {
    const recipient = stdKeys(recipientPublicPem, 'public').x
    const eph = generateKeyPairSync('x25519')
    const ephRaw = spki(eph.publicKey).subarray(-32)
    const shared = diffieHellman({ privateKey: eph.privateKey, publicKey: recipient })
    const kek = Buffer.from(hkdfSync('sha256', shared, Buffer.concat([ephRaw, spki(recipient).subarray(-32)]), WRAP_INFO, 32))
    return Buffer.concat([ephRaw, gcmSeal(kek, Buffer.alloc(12), Buffer.alloc(0), secret)]) // a fresh key per wrap: a zero nonce is safe
  },
  unwrap(wrapped, privatePem) {
    if (wrapped.length !== 32 + 32 + 16) return null
    const own = stdKeys(privatePem, 'private').x
    const ephRaw = wrapped.subarray(0, 32)
    const ephPub = createPublicKey({
      key: Buffer.concat([Buffer.from('302a300506032b656e032100', 'hex'), ephRaw]),
      format: 'der',
      type: 'spki',
    })
    const shared = diffieHellman({ privateKey: own, publicKey: ephPub })
    const kek = Buffer.from(hkdfSync('sha256', shared, Buffer.concat([ephRaw, spki(createPublicKey(own)).subarray(-32)]), WRAP_INFO, 32))
    return gcmOpen(kek, Buffer.alloc(12), Buffer.alloc(0), wrapped.subarray(32))
  },
  deriveKeys(secret, salt) {
    return { enc: Buffer.from(hkdfSync('sha256', secret, salt, KEYS_INFO, 32)), mac: Buffer.alloc(0) }
  },
  sealChunk: (keys, aad, index, plain) => gcmSeal(keys.enc, chunkIv(index, 12), aad, plain),
  sealInPlace(keys, aad, index, data) {
    const sealed = gcmSeal(keys.enc, chunkIv(index, 12), aad, data)
    sealed.copy(data, 0, 0, data.length)
    return sealed.subarray(data.length)
  },
  openChunk(keys, aad, index, record) {
    return gcmOpen(keys.enc, chunkIv(index, 12), aad, record)
  },
  decryptChunk: (keys, aad, index, record) => gcmOpen(keys.enc, chunkIv(index, 12), aad, record), // GCM checks as it goes, at no extra cost
  // GMAC: GCM with the data as associated data and nothing to encrypt (the record index keeps every nonce distinct).
  tagClear: (keys, aad, index, data) => gcmSeal(keys.enc, chunkIv(index, 12), Buffer.concat([aad, data]), Buffer.alloc(0)),
  checkClear: (keys, aad, index, data, tag) => gcmOpen(keys.enc, chunkIv(index, 12), Buffer.concat([aad, data]), tag) !== null,
  sign: (message, privatePem) => edSign(null, message, stdKeys(privatePem, 'private').ed),
  verify(message, signature, publicPem) {
    try {
      return edVerify(null, message, stdKeys(publicPem, 'public').ed, signature)
    } catch {
      return false
    }
  },
}

export function suiteOf(name: string): Suite | null {
  return name === sm.name ? sm : name === standard.name ? standard : null
}

/** Which suite a key file belongs to, judged by its content. */
export function suiteOfKeyFile(pemText: string): Suite | null {
  for (const suite of [sm, standard]) {
    try {
      suite.fingerprint(pemText)
      return suite
    } catch {
      // not this suite
    }
  }
  return null
}

export { randomBytes }
