// Sealed scans opened piece by piece: the same plaintext as the one-shot SM4-GCM of sm-crypto-v2 at every size
// around the block and piece boundaries, the RFC 8998 SM4-GCM vector, and nothing accepted that was altered.
import { describe, expect, it } from 'vitest'
import { ErrorCode } from '../../electron/contract/errors'
import { randomBytes } from '../../electron/core/exchange/gm'
import { openBytes, sealBytes, SEALED_FILE_MAGIC } from '../../electron/core/security/field-crypto'
import { SealedFileOpener } from '../../electron/core/security/sealed-file-stream'

const keys = { encKey: randomBytes(16), indexKey: randomBytes(32) }
const hex = (h: string) => Buffer.from(h, 'hex')

function openInPieces(sealed: Buffer, pieceSize: number, key = keys.encKey, context: string | Uint8Array = 'attachments') {
  const opener = new SealedFileOpener(key, sealed.subarray(0, 32), context)
  const out: Buffer[] = []
  for (let at = 32; at < sealed.length; at += pieceSize)
    out.push(opener.update(sealed.subarray(at, Math.min(sealed.length, at + pieceSize))))
  return { plain: Buffer.concat(out), sound: opener.verify(sealed.subarray(16, 32)) }
}

describe('sealed file, opened in pieces', () => {
  it.each([0, 1, 15, 16, 17, 4095, 4096, 4097, 100_003])('%i bytes: the one-shot plaintext, tag accepted', (size) => {
    const plain = randomBytes(size)
    const sealed = sealBytes(keys, plain, 'attachments')
    const { plain: streamed, sound } = openInPieces(sealed, 4096)
    expect(sound).toBe(true)
    expect(streamed.equals(plain)).toBe(true)
    expect(openBytes(keys, sealed, 'attachments').equals(plain)).toBe(true)
  })

  it('RFC 8998 A.1 (SM4-GCM)', () => {
    const ct = hex(
      '17F399F08C67D5EE19D0DC9969C4BB7D5FD46FD3756489069157B282BB200735D82710CA5C22F0CCFA7CBF93D496AC15A56834CBCF98C397B4024A2691233B8D',
    )
    const file = Buffer.concat([SEALED_FILE_MAGIC, hex('00001234567800000000ABCD'), hex('83DE3541E4C2B58177E065A9BF7B62EC'), ct])
    const { plain, sound } = openInPieces(
      file,
      16,
      hex('0123456789ABCDEFFEDCBA9876543210'),
      hex('FEEDFACEDEADBEEFFEEDFACEDEADBEEFABADDAD2'),
    )
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
    expect(openInPieces(sealed, 1024, keys.encKey, 'people.id_card').sound).toBe(false)
    expect(openInPieces(sealed, 1024, randomBytes(16)).sound).toBe(false)
  })

  it('refuses a file that is not a sealed file, and a partial block before the end', () => {
    expect(() => new SealedFileOpener(keys.encKey, Buffer.alloc(32), 'attachments')).toThrow(
      expect.objectContaining({ code: ErrorCode.FieldDecryptFailed }),
    )
    const sealed = sealBytes(keys, randomBytes(100), 'attachments')
    const opener = new SealedFileOpener(keys.encKey, sealed.subarray(0, 32), 'attachments')
    opener.update(sealed.subarray(32, 42))
    expect(() => opener.update(sealed.subarray(42))).toThrow()
  })
})
