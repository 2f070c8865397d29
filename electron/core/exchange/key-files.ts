// SM2 keys as the files OpenSSL reads and writes: PKCS#8 private keys and SPKI public keys, algorithm
// id-ecPublicKey with the SM2 curve OID 1.2.156.10197.1.301. Fingerprints are SM3 over the SPKI DER, the
// same bytes whoever wrote the file, so two offices can compare them by phone.
import { ErrorCode } from '../../contract/errors'
import { AppError } from '../shared/app-error'
import { sm2PublicFromPrivate, sm2ValidPublicKey, sm3Digest, type Sm2KeyPair } from './gm'

const EC_PUBLIC_KEY = '06072a8648ce3d0201'
const SM2_CURVE = '06082a811ccf5501822d'
const ALGORITHM = `3013${EC_PUBLIC_KEY}${SM2_CURVE}`

interface Tlv {
  tag: number
  body: Buffer
  end: number
}

/** One DER tag-length-value at `at` (definite lengths only, as DER requires). */
function tlv(b: Buffer, at: number): Tlv {
  const tag = b[at]
  let len = b[at + 1]
  let start = at + 2
  if (tag === undefined || len === undefined) throw new Error('short')
  if (len & 0x80) {
    const n = len & 0x7f
    if (n < 1 || n > 3) throw new Error('length')
    len = 0
    for (let i = 0; i < n; i++) len = (len << 8) | b[start + i]!
    start += n
  }
  if (start + len > b.length) throw new Error('overrun')
  return { tag, body: b.subarray(start, start + len), end: start + len }
}

function children(body: Buffer): Tlv[] {
  const out: Tlv[] = []
  for (let at = 0; at < body.length;) {
    const t = tlv(body, at)
    out.push(t)
    at = t.end
  }
  return out
}

function pem(label: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? []
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`
}

function pemBody(text: string, label: string): Buffer | null {
  const m = new RegExp(`-----BEGIN ${label}-----([\\s\\S]*?)-----END ${label}-----`).exec(text)
  return m ? Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64') : null
}

const refuse = (reason: string) => new AppError(ErrorCode.KeyFileRejected, 'bad key file', { reason })

export function sm2PublicKeyDer(publicKey: string): Buffer {
  return Buffer.from(`3059${ALGORITHM}034200${publicKey}`, 'hex')
}

export function sm2PublicKeyPem(publicKey: string): string {
  return pem('PUBLIC KEY', sm2PublicKeyDer(publicKey))
}

export function sm2PrivateKeyPem(key: Sm2KeyPair): string {
  const ecPrivateKey = `306b0201010420${key.privateKey}a144034200${key.publicKey}`
  return pem('PRIVATE KEY', Buffer.from(`308187020100${ALGORITHM}046d${ecPrivateKey}`, 'hex'))
}

/** The public key (04||X||Y hex) of an SM2 SPKI PEM; anything else is refused with its reason. */
export function readSm2PublicKeyPem(text: string): string {
  const der = pemBody(text, 'PUBLIC KEY')
  if (!der) throw refuse('not_pem')
  try {
    const [alg, bits] = children(tlv(der, 0).body)
    if (!alg || !bits || bits.tag !== 0x03) throw refuse('not_spki')
    if (alg.body.toString('hex') !== `${EC_PUBLIC_KEY}${SM2_CURVE}`) throw refuse('not_sm2')
    const publicKey = bits.body.subarray(1).toString('hex')
    if (!sm2ValidPublicKey(publicKey)) throw refuse('bad_point')
    return publicKey
  } catch (err) {
    if (err instanceof AppError) throw err
    throw refuse('not_spki')
  }
}

/** An SM2 key pair from a PKCS#8 PEM (what `openssl genpkey -algorithm SM2` writes). */
export function readSm2PrivateKeyPem(text: string): Sm2KeyPair {
  const der = pemBody(text, 'PRIVATE KEY')
  if (!der) throw refuse(text.includes('ENCRYPTED PRIVATE KEY') ? 'encrypted_pem' : 'not_pem')
  try {
    const [version, alg, octets] = children(tlv(der, 0).body)
    if (!version || !alg || !octets || octets.tag !== 0x04) throw refuse('not_pkcs8')
    if (alg.body.toString('hex') !== `${EC_PUBLIC_KEY}${SM2_CURVE}`) throw refuse('not_sm2')
    const d = children(tlv(octets.body, 0).body).find((c) => c.tag === 0x04)
    if (!d || d.body.length > 32) throw refuse('not_pkcs8')
    const privateKey = d.body.toString('hex').padStart(64, '0')
    return { privateKey, publicKey: sm2PublicFromPrivate(privateKey) }
  } catch (err) {
    if (err instanceof AppError) throw err
    throw refuse('not_pkcs8')
  }
}

/** SM3 of the SPKI DER, hex. */
export function keyFingerprint(spkiDer: Uint8Array): string {
  return sm3Digest(spkiDer).toString('hex')
}

/** A fingerprint as it is read out over the phone: the first 16 bytes in groups of four hex digits. */
export function spokenFingerprint(fingerprint: string): string {
  return (fingerprint.slice(0, 32).toUpperCase().match(/.{4}/g) ?? []).join(' ')
}
