// Sealed scans opened piece by piece: the same plaintext as the one-shot SM4-GCM of sm-crypto-v2 at every size
// around the block and piece boundaries, the RFC 8998 SM4-GCM vector, and nothing accepted that was altered.
import { describe, expect, it } from 'vitest'
import { ErrorCode } from '../../electron/contract/errors'
import { randomBytes } from '../../electron/core/exchange/gm'
import {
  openBytes,
  openPortable,
  sealBytes,
  SEALED_FILE_HEAD,
  SEALED_FILE_MAGIC,
  sealedFileHead,
  type FieldKeys,
} from '../../electron/core/security/field-crypto'
import { sealFormat1 } from '../helpers'
import { SealedFileOpener } from '../../electron/core/security/sealed-file-stream'

const keys = { encKey: randomBytes(16), indexKey: randomBytes(32) }
const hex = (h: string) => Buffer.from(h, 'hex')

/** Opens the body in pieces with the key, IV and tag the head names (`opener`: a raw key and IV instead). */
function openInPieces(
  sealed: Buffer,
  pieceSize: number,
  o: { fieldKeys?: FieldKeys; context?: string | Uint8Array; decrypt?: boolean } = {},
) {
  const context = o.context ?? 'attachments'
  const head = sealedFileHead(o.fieldKeys ?? keys, sealed.subarray(0, SEALED_FILE_HEAD), 'attachments')
  const opener = new SealedFileOpener(head.key, head.iv, context, 0, o.decrypt ?? true)
  const out: Buffer[] = []
  for (let at = head.bodyStart; at < sealed.length; at += pieceSize)
    out.push(opener.update(sealed.subarray(at, Math.min(sealed.length, at + pieceSize))))
  return { plain: Buffer.concat(out), sound: opener.verify(head.tag) }
}

describe('sealed file, opened in pieces', () => {
  it.each([0, 1, 15, 16, 17, 4095, 4096, 4097, 100_003])('%i bytes: the one-shot plaintext, tag accepted', (size) => {
    const plain = randomBytes(size)
    const sealed = sealBytes(keys, plain, 'attachments')
    const { plain: streamed, sound } = openInPieces(sealed, 4096)
    expect(sound).toBe(true)
    expect(streamed.equals(plain)).toBe(true)
    expect(openBytes(keys, sealed, 'attachments').equals(plain)).toBe(true)
    // Checked without decrypting (what an export does with a scan it carries as ciphertext).
    expect(openInPieces(sealed, 4096, { decrypt: false })).toEqual({ plain: Buffer.alloc(0), sound: true })
    // The portable part (what a package carries) opens with the file's own key alone.
    const head = sealedFileHead(keys, sealed, 'attachments')
    expect(openPortable(head.key, sealed.subarray(head.portableStart!), 'attachments').equals(plain)).toBe(true)
  })

  it('a file sealed in format 1 (under the field key) still opens, whole and in pieces', () => {
    const plain = randomBytes(70_001)
    const old = sealFormat1(keys, plain, 'attachments')
    expect(openBytes(keys, old, 'attachments').equals(plain)).toBe(true)
    expect(openInPieces(old, 4096)).toEqual({ plain, sound: true })
    expect(sealedFileHead(keys, old, 'attachments').portableStart).toBeNull() // it cannot travel as it is
  })

  it('each file has a key of its own, and it opens only with this installation’s field key', () => {
    const plain = randomBytes(1000)
    const a = sealedFileHead(keys, sealBytes(keys, plain, 'attachments'), 'attachments')
    const b = sealedFileHead(keys, sealBytes(keys, plain, 'attachments'), 'attachments')
    expect(a.key.equals(b.key)).toBe(false)
    expect(a.key.equals(Buffer.from(keys.encKey))).toBe(false)
    const other = { encKey: randomBytes(16), indexKey: randomBytes(32) }
    expect(() => sealedFileHead(other, sealBytes(keys, plain, 'attachments'), 'attachments')).toThrow(
      expect.objectContaining({ code: ErrorCode.FieldDecryptFailed }),
    )
    expect(() => sealedFileHead(keys, sealBytes(keys, plain, 'people.id_card'), 'attachments')).toThrow(
      expect.objectContaining({ code: ErrorCode.FieldDecryptFailed }),
    )
  })

  it('RFC 8998 A.1 (SM4-GCM)', () => {
    const ct = hex(
      '17F399F08C67D5EE19D0DC9969C4BB7D5FD46FD3756489069157B282BB200735D82710CA5C22F0CCFA7CBF93D496AC15A56834CBCF98C397B4024A2691233B8D',
    )
    const file = Buffer.concat([SEALED_FILE_MAGIC, hex('00001234567800000000ABCD'), hex('83DE3541E4C2B58177E065A9BF7B62EC'), ct])
    const { plain, sound } = openInPieces(file, 16, {
      fieldKeys: { encKey: hex('0123456789ABCDEFFEDCBA9876543210'), indexKey: randomBytes(32) },
      context: hex('FEEDFACEDEADBEEFFEEDFACEDEADBEEFABADDAD2'),
    })
    expect(sound).toBe(true)
    expect(plain.toString('hex').toUpperCase()).toBe(
      'AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBBCCCCCCCCCCCCCCCCDDDDDDDDDDDDDDDDEEEEEEEEEEEEEEEEFFFFFFFFFFFFFFFFEEEEEEEEEEEEEEEEAAAAAAAAAAAAAAAA',
    )
  })

  it('a flipped bit, another purpose or another key: the tag does not verify', () => {
    const sealed = sealBytes(keys, randomBytes(5000), 'attachments')
    const flipped = Buffer.from(sealed)
    flipped[2000] = flipped[2000]! ^ 0x10
    expect(openInPieces(flipped, 1024).sound).toBe(false)
    expect(openInPieces(flipped, 1024, { decrypt: false }).sound).toBe(false)
    expect(openInPieces(sealed, 1024, { context: 'people.id_card' }).sound).toBe(false)
    const head = sealedFileHead(keys, sealed, 'attachments')
    const wrongKey = new SealedFileOpener(randomBytes(16), head.iv, 'attachments')
    wrongKey.update(sealed.subarray(head.bodyStart))
    expect(wrongKey.verify(head.tag)).toBe(false)
  })

  it('refuses a file that is not a sealed file, and a partial block before the end', () => {
    expect(() => sealedFileHead(keys, Buffer.alloc(SEALED_FILE_HEAD), 'attachments')).toThrow(
      expect.objectContaining({ code: ErrorCode.FieldDecryptFailed }),
    )
    const sealed = sealBytes(keys, randomBytes(100), 'attachments')
    const head = sealedFileHead(keys, sealed, 'attachments')
    const opener = new SealedFileOpener(head.key, head.iv, 'attachments')
    opener.update(sealed.subarray(head.bodyStart, head.bodyStart + 10))
    expect(() => opener.update(sealed.subarray(head.bodyStart + 10))).toThrow()
  })
})
