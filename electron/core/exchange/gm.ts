// The national algorithms for transfer packages, on sm-crypto-v2 with its unsafe defaults fixed (CRYPTO.md §5a):
// signatures always hash with the standard user ID and are re-encoded to canonical DER before they count;
// SM2 decryption failures (which the library reports as an empty result) throw; keys never come from a seed.
// Bulk SM4-CTR and HMAC-SM3 use OpenSSL through node:crypto where it has them (plain Node: CLI, tests); otherwise
// (Electron's BoringSSL has no SM algorithms) SM3 and HMAC-SM3 come from hash-wasm's WebAssembly (2× the pure-JS
// library) once loaded, and SM4 from the pure-JS library. Every path gives the same bytes (tests/core/package-crypto).
import { createCipheriv, createHash, createHmac, getCiphers, getHashes, randomBytes, timingSafeEqual } from 'node:crypto'
import { createHMAC, createSM3, type IHasher } from 'hash-wasm'
import { hkdf, sm2, sm3, sm4 } from 'sm-crypto-v2'

/** GM/T 0009 default distinguishing ID; OpenSSL 3 needs it spelt out (`distid:1234567812345678`). */
const SM2_USER_ID = '1234567812345678'

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex')
const bytes = (h: string) => Buffer.from(h, 'hex')

export interface Sm2KeyPair {
  /** 32-byte scalar, hex. */
  privateKey: string
  /** Uncompressed point 04||X||Y, hex. */
  publicKey: string
}

export function sm2GenerateKeyPair(): Sm2KeyPair {
  const pair = sm2.generateKeyPairHex() // never with a seed: a seed gives private key 1
  return { privateKey: pair.privateKey.padStart(64, '0'), publicKey: pair.publicKey }
}

export function sm2PublicFromPrivate(privateKey: string): string {
  return sm2.getPublicKeyFromPrivateKey(privateKey)
}

export function sm2ValidPublicKey(publicKey: string): boolean {
  return /^04[0-9a-f]{128}$/i.test(publicKey) && sm2.verifyPublicKey(publicKey)
}

// --- DER for signatures: SEQUENCE { INTEGER r, INTEGER s } -------------------------------------------------
function derInteger(v: bigint): Buffer {
  let h = v.toString(16)
  if (h.length % 2) h = '0' + h
  if (parseInt(h.slice(0, 2), 16) & 0x80) h = '00' + h
  const body = bytes(h)
  return Buffer.concat([Buffer.from([0x02, body.length]), body])
}

function derSignature(r: bigint, s: bigint): Buffer {
  const body = Buffer.concat([derInteger(r), derInteger(s)])
  return Buffer.concat([Buffer.from([0x30, body.length]), body])
}

/** (r, s) of a DER signature, or null when it is not exactly the canonical encoding. */
function parseSignature(sig: Uint8Array): { r: bigint; s: bigint } | null {
  const b = Buffer.from(sig)
  if (b.length < 8 || b[0] !== 0x30 || b[1] !== b.length - 2) return null
  const read = (at: number) => {
    if (b[at] !== 0x02) return null
    const len = b[at + 1]!
    if (len === 0 || len > 33 || at + 2 + len > b.length) return null
    return { value: BigInt('0x' + b.subarray(at + 2, at + 2 + len).toString('hex')), end: at + 2 + len }
  }
  const r = read(2)
  const s = r && read(r.end)
  if (!r || !s || s.end !== b.length) return null
  return derSignature(r.value, s.value).equals(b) ? { r: r.value, s: s.value } : null
}

export function sm2Sign(message: Uint8Array, key: Sm2KeyPair): Buffer {
  return bytes(sm2.doSignature(message, key.privateKey, { hash: true, der: true, publicKey: key.publicKey, userId: SM2_USER_ID }))
}

export function sm2Verify(message: Uint8Array, signature: Uint8Array, publicKey: string): boolean {
  if (!parseSignature(signature)) return false // the library accepts extra bytes and non-minimal integers
  try {
    return sm2.doVerifySignature(message, hex(signature), publicKey, { hash: true, der: true, userId: SM2_USER_ID })
  } catch {
    return false // out-of-range scalars throw
  }
}

/** SM2 encryption, C1C3C2 in GM/T 0009 DER: what `openssl pkeyutl -encrypt` writes and reads. */
export function sm2Encrypt(plaintext: Uint8Array, publicKey: string): Buffer {
  return bytes(sm2.doEncrypt(plaintext, publicKey, 1, { asn1: true }))
}

export function sm2Decrypt(ciphertext: Uint8Array, privateKey: string): Buffer | null {
  try {
    const out = sm2.doDecrypt(hex(ciphertext), privateKey, 1, { asn1: true, output: 'array' })
    return out.length ? Buffer.from(out) : null // an empty result is the library's way of saying "failed"
  } catch {
    return null
  }
}

// --- SM3, HMAC-SM3, HKDF-SM3 ----------------------------------------------------------------------------
// CREDIT_DESK_PURE_JS_GM=1 measures what Electron runs (its BoringSSL has no SM algorithms).
const pureJs = process.env.CREDIT_DESK_PURE_JS_GM === '1'
const nativeSm3 = !pureJs && getHashes().includes('sm3')
const nativeSm4Ctr = !pureJs && getCiphers().includes('sm4-ctr')

// WebAssembly instances load asynchronously: until `wasmHashesReady()` has resolved (workers await it before their
// first job), the pure-JS library answers. HMAC instances are keyed; a package uses one or two keys.
let wasmSm3: IHasher | null = null
const wasmMacs = new Map<string, IHasher>()
const MAX_WASM_MACS = 8
const wasmLoading = nativeSm3 ? Promise.resolve(null) : createSM3().then((h) => (wasmSm3 = h))
wasmLoading.catch(() => undefined) // (no WebAssembly: the pure-JS path stays)

/** Resolves once SM3 from WebAssembly is in use (never rejects: the pure-JS path is the fallback). */
export async function wasmHashesReady(): Promise<boolean> {
  await wasmLoading.catch(() => undefined)
  return wasmSm3 !== null
}

/** Makes HMAC-SM3 under `key` run in WebAssembly from now on in this thread. */
export async function prepareHmacSm3(key: Uint8Array): Promise<void> {
  if (nativeSm3 || !(await wasmHashesReady())) return
  const id = Buffer.from(key).toString('hex')
  if (wasmMacs.has(id)) return
  const mac = await createHMAC(createSM3(), key)
  if (wasmMacs.size >= MAX_WASM_MACS) wasmMacs.delete(wasmMacs.keys().next().value!)
  wasmMacs.set(id, mac)
}

const wasmDigest = (h: IHasher, parts: Uint8Array[]) => {
  h.init()
  for (const p of parts) h.update(p)
  return Buffer.from(h.digest('binary'))
}

export function sm3Digest(data: Uint8Array): Buffer {
  if (nativeSm3) return createHash('sm3').update(data).digest()
  return wasmSm3 ? wasmDigest(wasmSm3, [data]) : bytes(sm3(data))
}

export function hmacSm3(key: Uint8Array, ...parts: Uint8Array[]): Buffer {
  if (nativeSm3) {
    const mac = createHmac('sm3', key)
    for (const p of parts) mac.update(p)
    return mac.digest()
  }
  const wasm = wasmMacs.get(Buffer.from(key).toString('hex'))
  if (wasm) return wasmDigest(wasm, parts)
  return bytes(sm3(parts.length === 1 ? parts[0]! : Buffer.concat(parts), { key, mode: 'hmac' }))
}

export interface Sm3Hasher {
  update(data: Uint8Array): void
  /** Lower-case hex. */
  digest(): string
}

/** An incremental SM3 of its own: OpenSSL's where present, WebAssembly otherwise (the pure-JS library has none). */
export async function sm3Hasher(): Promise<Sm3Hasher> {
  if (nativeSm3) {
    const h = createHash('sm3')
    return { update: (d) => void h.update(d), digest: () => h.digest('hex') }
  }
  const h = await createSM3()
  h.init()
  return { update: (d) => void h.update(d), digest: () => h.digest('hex') }
}

/** The three implementations side by side, for the tests that hold them to the same answers. */
export const sm3Implementations = {
  pureJs: (data: Uint8Array) => bytes(sm3(data)),
  async wasm(data: Uint8Array) {
    return wasmDigest(await createSM3(), [data])
  },
  async wasmHmac(key: Uint8Array, data: Uint8Array) {
    return wasmDigest(await createHMAC(createSM3(), key), [data])
  },
}

export function hkdfSm3(ikm: Uint8Array, salt: Uint8Array, info: string, length: number): Buffer {
  return Buffer.from(hkdf(ikm, salt, new TextEncoder().encode(info), length))
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b)
}

// --- SM4-CTR ---------------------------------------------------------------------------------------------
/**
 * SM4 in counter mode with a 128-bit big-endian counter starting at `iv` (as `openssl enc -sm4-ctr`).
 * Pure JS: the keystream is SM4-ECB of the counter blocks, XORed in.
 */
export function sm4Ctr(key: Uint8Array, iv: Uint8Array, data: Uint8Array, options: { native?: boolean } = {}): Buffer {
  if ((options.native ?? true) && nativeSm4Ctr) {
    const c = createCipheriv('sm4-ctr', key, iv)
    return Buffer.concat([c.update(data), c.final()])
  }
  const blocks = Math.ceil(data.length / 16)
  if (blocks === 0) return Buffer.alloc(0)
  const counters = new Uint8Array(blocks * 16)
  const view = new DataView(counters.buffer)
  const iv32 = new DataView(iv.buffer, iv.byteOffset, 16)
  const w = [0, 4, 8, 12].map((o) => iv32.getUint32(o, false))
  for (let i = 0; i < blocks; i++) {
    const o = i * 16
    view.setUint32(o, w[0]!, false)
    view.setUint32(o + 4, w[1]!, false)
    view.setUint32(o + 8, w[2]!, false)
    view.setUint32(o + 12, w[3]!, false)
    for (let k = 3; k >= 0; k--) {
      w[k] = (w[k]! + 1) >>> 0 // 128-bit big-endian increment, carrying upwards
      if (w[k] !== 0) break
    }
  }
  // The keystream is a fresh array of the library's: the data is XORed into it, four bytes at a time where the
  // data is aligned (byte order does not matter for XOR).
  const stream = sm4.encrypt(counters, key, { mode: 'ecb', padding: 'none', output: 'array' })
  const words = data.length >>> 2
  if (data.byteOffset % 4 === 0 && stream.byteOffset % 4 === 0) {
    const d32 = new Uint32Array(data.buffer, data.byteOffset, words)
    const s32 = new Uint32Array(stream.buffer, stream.byteOffset, words)
    for (let i = 0; i < words; i++) s32[i] = s32[i]! ^ d32[i]!
    for (let i = words * 4; i < data.length; i++) stream[i] = stream[i]! ^ data[i]!
  } else {
    for (let i = 0; i < data.length; i++) stream[i] = stream[i]! ^ data[i]!
  }
  return Buffer.from(stream.buffer, stream.byteOffset, data.length)
}

/**
 * The counter block for the byte at `offset` (a multiple of 16) of a counter-mode stream starting at `iv`, counting in
 * the low 32 bits as SM4-GCM does (a stream under 64 GiB never wraps them): lets pieces be processed apart.
 */
export function counterAt(iv: Uint8Array, offset: number): Buffer {
  const counter = Buffer.from(iv)
  counter.writeUInt32BE((counter.readUInt32BE(12) + offset / 16) >>> 0, 12)
  return counter
}

export { randomBytes }
