import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { sm3, sm4 } from 'sm-crypto-v2'
import { describe, expect, it } from 'vitest'
import { blindIndex, maskIdNumber, openField, sealField, type FieldKeys } from '../../electron/core/security/field-crypto'
import { KEY_DIR, loadFieldKeys, noProtector } from '../../electron/core/security/key-store'
import { freshDb } from '../helpers'

const hex = (s: string) => new Uint8Array(Buffer.from(s, 'hex'))
const keys = (n: number): FieldKeys => ({ encKey: new Uint8Array(16).fill(n), indexKey: new Uint8Array(32).fill(n + 1) })

describe('GM/T known-answer vectors through the library we wrap', () => {
  it('SM3("abc") (GB/T 32905 A.1)', () => {
    expect(sm3(new TextEncoder().encode('abc'))).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0')
  })

  it('SM4 single block (GB/T 32907 A.1)', () => {
    const k = hex('0123456789abcdeffedcba9876543210')
    expect(Buffer.from(sm4.encrypt(k, k, { mode: 'ecb', padding: 'none', output: 'array' })).toString('hex')).toBe(
      '681edf34d206965e86b3e94f536e4246',
    )
  })

  it('SM4-GCM (RFC 8998 A.1)', () => {
    const { output, tag } = sm4.encrypt(
      hex(
        'AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBBCCCCCCCCCCCCCCCCDDDDDDDDDDDDDDDDEEEEEEEEEEEEEEEEFFFFFFFFFFFFFFFFEEEEEEEEEEEEEEEEAAAAAAAAAAAAAAAA',
      ),
      hex('0123456789ABCDEFFEDCBA9876543210'),
      {
        mode: 'gcm',
        iv: hex('00001234567800000000ABCD'),
        associatedData: hex('FEEDFACEDEADBEEFFEEDFACEDEADBEEFABADDAD2'),
        output: 'array',
        outputTag: true,
      },
    )
    const ct = Buffer.from(output).toString('hex')
    expect(ct.startsWith('17f399f08c67d5ee19d0dc9969c4bb7d')).toBe(true)
    expect(ct.endsWith('233b8d')).toBe(true)
    expect(Buffer.from(tag!).toString('hex')).toBe('83de3541e4c2b58177e065a9bf7b62ec')
  })
})

describe('sealed fields', () => {
  it('round-trips, with a fresh IV each time', () => {
    const a = sealField(keys(1), '11010519491231002X', 'people.id_card')
    const b = sealField(keys(1), '11010519491231002X', 'people.id_card')
    expect(a).not.toBe(b)
    expect(a).not.toContain('11010519491231002X')
    expect(openField(keys(1), a, 'people.id_card')).toBe('11010519491231002X')
  })

  it('refuses a wrong key, another column’s context and any flipped bit', () => {
    const sealed = sealField(keys(1), '11010519491231002X', 'people.id_card')
    expect(() => openField(keys(2), sealed, 'people.id_card')).toThrow(expect.objectContaining({ code: 'FIELD_DECRYPT_FAILED' }))
    expect(() => openField(keys(1), sealed, 'records.ZJHM')).toThrow(expect.objectContaining({ code: 'FIELD_DECRYPT_FAILED' }))
    const [f, iv, ct, tag] = sealed.split(':')
    const flipped = Buffer.from(ct!, 'base64')
    flipped[0]! ^= 1
    expect(() => openField(keys(1), [f, iv, flipped.toString('base64'), tag].join(':'), 'people.id_card')).toThrow(
      expect.objectContaining({ code: 'FIELD_DECRYPT_FAILED' }),
    )
  })

  it('indexes blindly and masks for display', () => {
    expect(blindIndex(keys(1), '11010519491231002X', 'id')).toBe(blindIndex(keys(1), '11010519491231002X', 'id'))
    expect(blindIndex(keys(1), '11010519491231002X', 'id')).not.toBe(blindIndex(keys(3), '11010519491231002X', 'id'))
    expect(blindIndex(keys(1), '11010519491231002X', 'id')).toMatch(/^[0-9a-f]{64}$/)
    expect(maskIdNumber('11010519491231002X')).toBe('110105********002X')
  })
})

describe('field key store', () => {
  it('creates the key once, apart from the database, and reloads the same key', async () => {
    const { db, dataDir } = await freshDb()
    const first = await loadFieldKeys(db, dataDir, noProtector)
    const again = await loadFieldKeys(db, dataDir, noProtector)
    expect(Buffer.from(again.encKey).equals(Buffer.from(first.encKey))).toBe(true)
    expect(existsSync(join(dataDir, KEY_DIR, 'field-keys.json'))).toBe(true)
    const sealed = sealField(first, '11010519491231002X', 'people.id_card')
    await db('settings').insert({ key: 'probe', value: sealed })
    // The database file holds the sealed value and a fingerprint, never the key or the plaintext.
    await db.raw('PRAGMA wal_checkpoint(TRUNCATE)')
    const file = readFileSync(join(dataDir, 'credit-desk.sqlite'))
    expect(file.includes(Buffer.from('11010519491231002X'))).toBe(false)
    const secret = JSON.parse(readFileSync(join(dataDir, KEY_DIR, 'field-keys.json'), 'utf8')).secret
    expect(file.includes(Buffer.from(secret))).toBe(false)
  })

  it('refuses to start over when the key file is missing or belongs to another database', async () => {
    const { db, dataDir } = await freshDb()
    await loadFieldKeys(db, dataDir, noProtector)
    const path = join(dataDir, KEY_DIR, 'field-keys.json')
    const original = readFileSync(path)
    rmSync(path)
    await expect(loadFieldKeys(db, dataDir, noProtector)).rejects.toMatchObject({ code: 'KEYS_MISSING' })
    expect(existsSync(path)).toBe(false) // no new key was made
    const other = await freshDb()
    await loadFieldKeys(other.db, other.dataDir, noProtector)
    writeFileSync(path, readFileSync(join(other.dataDir, KEY_DIR, 'field-keys.json')))
    await expect(loadFieldKeys(db, dataDir, noProtector)).rejects.toMatchObject({ code: 'KEYS_MISMATCH' })
    writeFileSync(path, original)
    await expect(loadFieldKeys(db, dataDir, noProtector)).resolves.toBeTruthy()
  })

  it('a key wrapped by the desktop app cannot be opened without it', async () => {
    const { db, dataDir } = await freshDb()
    const xor = (b: Buffer) => Buffer.from(b.map((x) => x ^ 0x5a))
    await loadFieldKeys(db, dataDir, { kind: 'os', protect: xor, unprotect: xor })
    await expect(loadFieldKeys(db, dataDir, noProtector)).rejects.toMatchObject({ code: 'KEYS_UNAVAILABLE' })
  })
})
