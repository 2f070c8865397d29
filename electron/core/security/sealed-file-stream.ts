// Opening a sealed file's SM4-GCM body (field-crypto: CDF1 under the field key, CDF2 under the file's own key)
// piece by piece, so a 20 MB scan never sits in memory whole; or only checking its tag, without decrypting. The library's GCM is one-shot only, so this is the same GCM (NIST SP 800-38D)
// from its parts: the SM4 keystream from J0+1 and GHASH from @noble/ciphers (what sm-crypto-v2's GCM is built on).
// Pieces must be a multiple of 16 bytes long, save the last. Plaintext comes out before the tag is checked: a
// caller must discard everything it produced when `verify` says no (a package export deletes its temporary file).
import { timingSafeEqual } from 'node:crypto'
import { ghash } from '@noble/ciphers/_polyval'
import { sm4 } from 'sm-crypto-v2'
import { ErrorCode } from '../../contract/errors'
import { sm4Ctr } from '../exchange/gm'
import { AppError } from '../shared/app-error'
const MAX_BLOCKS = 2 ** 32 - 2 // GCM's 32-bit counter; our 128-bit counter matches it while it cannot wrap

const ecb = (key: Uint8Array, block: Uint8Array) => Buffer.from(sm4.encrypt(block, key, { mode: 'ecb', padding: 'none', output: 'array' }))

export class SealedFileOpener {
  private readonly hash: ReturnType<typeof ghash.create>
  private readonly tagMask: Buffer
  private counter: Buffer
  private readonly aadLength: number
  private ctLength = 0
  private done = false

  /**
   * `iv`: the body's 12-byte IV; `length`: the ciphertext's, if known (GHASH picks bigger tables for long data);
   * `decrypt: false` only authenticates (what an export needs of a scan it carries as ciphertext).
   */
  constructor(
    private readonly key: Uint8Array,
    iv: Uint8Array,
    context: string | Uint8Array,
    length = 0,
    private readonly decrypt = true,
  ) {
    if (iv.length !== 12) throw new AppError(ErrorCode.FieldDecryptFailed, 'unknown sealed file format')
    const aad = typeof context === 'string' ? new TextEncoder().encode(context) : context
    const j0 = Buffer.concat([iv, Buffer.from([0, 0, 0, 1])])
    this.hash = ghash.create(ecb(key, new Uint8Array(16)), length)
    if (aad.length) this.hash.update(aad) // (GHASH pads each update to a block: exactly GCM's padding of A)
    this.aadLength = aad.length
    this.tagMask = ecb(key, j0)
    this.counter = Buffer.concat([iv, Buffer.from([0, 0, 0, 2])])
  }

  update(piece: Uint8Array): Buffer {
    if (this.done || this.ctLength % 16) throw new Error('only the last piece may be a partial block')
    if ((this.ctLength + piece.length) / 16 > MAX_BLOCKS) throw new Error('too long for GCM')
    if (piece.length) this.hash.update(piece)
    const plain = this.decrypt ? sm4Ctr(this.key, this.counter, piece) : Buffer.alloc(0)
    this.ctLength += piece.length
    const next = this.counter.readUInt32BE(12) + Math.ceil(piece.length / 16)
    this.counter = Buffer.from(this.counter)
    this.counter.writeUInt32BE(next >>> 0, 12)
    return plain
  }

  /** True when `tag` (the body's GCM tag) authenticates everything passed to update. */
  verify(tag: Uint8Array): boolean {
    this.done = true
    const lengths = Buffer.alloc(16)
    lengths.writeBigUInt64BE(BigInt(this.aadLength * 8), 0)
    lengths.writeBigUInt64BE(BigInt(this.ctLength * 8), 8)
    const t = Buffer.from(this.hash.update(lengths).digest())
    for (let i = 0; i < 16; i++) t[i] = t[i]! ^ this.tagMask[i]!
    return tag.length === 16 && timingSafeEqual(t, tag)
  }
}
