// The national algorithms under the transfer packages: GM/T known answers, the pure-JS path equal to OpenSSL's
// (Electron has only the pure-JS one), and SM2 keys, signatures and envelopes exchanged with the OpenSSL 3 CLI.
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { sm3 } from 'sm-crypto-v2'
import { describe, expect, it } from 'vitest'
import {
  hkdfSm3,
  hmacSm3,
  randomBytes,
  sm2Decrypt,
  sm2Encrypt,
  sm2GenerateKeyPair,
  sm2Sign,
  sm2Verify,
  sm3Digest,
  sm3Implementations,
  sm4Ctr,
} from '../../electron/core/exchange/gm'
import {
  keyFingerprint,
  readSm2PrivateKeyPem,
  readSm2PublicKeyPem,
  sm2PrivateKeyPem,
  sm2PublicKeyDer,
  sm2PublicKeyPem,
} from '../../electron/core/exchange/key-files'
import { tempDir } from '../helpers'

const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] })

describe('GM/T known answers', () => {
  it('SM3 (GB/T 32905 examples)', () => {
    expect(sm3Digest(Buffer.from('abc')).toString('hex')).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0')
    expect(sm3Digest(Buffer.from('abcd'.repeat(16))).toString('hex')).toBe(
      'debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732',
    )
    expect(sm3(Buffer.from('abc'))).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0') // the pure-JS path too
  })

  it('SM4 (GB/T 32907 example) through the counter-mode keystream, pure JS and OpenSSL alike', () => {
    const key = Buffer.from('0123456789abcdeffedcba9876543210', 'hex')
    // CTR over a zero block is the block cipher applied to the counter: E_k(0123…3210) = 681edf34…
    for (const native of [false, true])
      expect(sm4Ctr(key, key, Buffer.alloc(16), { native }).toString('hex')).toBe('681edf34d206965e86b3e94f536e4246')
  })

  it('pure-JS SM4-CTR equals OpenSSL for every length, across a 128-bit counter carry', () => {
    const key = randomBytes(16)
    for (const iv of [
      randomBytes(16),
      Buffer.from('ffffffffffffffffffffffffffffffff', 'hex'),
      Buffer.from('0000000000000001fffffffffffffffe', 'hex'),
    ]) {
      for (const n of [0, 1, 15, 16, 17, 4095, 65537]) {
        const data = randomBytes(n)
        expect(sm4Ctr(key, iv, data, { native: false }).equals(sm4Ctr(key, iv, data))).toBe(true)
      }
    }
    const dir = tempDir()
    const data = randomBytes(10_000)
    writeFileSync(join(dir, 'pt'), data)
    const iv = Buffer.from('00000000000000030000000000000000', 'hex')
    const cli = openssl('enc', '-sm4-ctr', '-K', key.toString('hex'), '-iv', iv.toString('hex'), '-in', join(dir, 'pt'))
    expect(sm4Ctr(key, iv, data, { native: false }).equals(cli)).toBe(true)
  })

  it('HMAC-SM3 and HKDF-SM3 agree with OpenSSL', () => {
    const dir = tempDir()
    const key = randomBytes(32)
    const data = randomBytes(5000)
    writeFileSync(join(dir, 'd'), data)
    expect(
      hmacSm3(key, data).equals(
        openssl('dgst', '-sm3', '-mac', 'HMAC', '-macopt', `hexkey:${key.toString('hex')}`, '-binary', join(dir, 'd')),
      ),
    ).toBe(true)
    expect(Buffer.from(sm3(data, { key, mode: 'hmac' }), 'hex').equals(hmacSm3(key, data))).toBe(true)
    const ikm = randomBytes(32)
    const salt = randomBytes(16)
    const cli = openssl(
      'kdf',
      '-binary',
      '-keylen',
      '48',
      '-kdfopt',
      'digest:SM3',
      '-kdfopt',
      `hexkey:${ikm.toString('hex')}`,
      '-kdfopt',
      `hexsalt:${salt.toString('hex')}`,
      '-kdfopt',
      'info:credit-desk-package v1 keys',
      'HKDF',
    )
    expect(hkdfSm3(ikm, salt, 'credit-desk-package v1 keys', 48).equals(cli)).toBe(true)
  })
})

describe('SM3 and HMAC-SM3 from WebAssembly (hash-wasm: what Electron hashes with)', () => {
  it('give the GM/T answers', async () => {
    expect((await sm3Implementations.wasm(Buffer.from('abc'))).toString('hex')).toBe(
      '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0',
    )
    expect((await sm3Implementations.wasm(Buffer.from('abcd'.repeat(16)))).toString('hex')).toBe(
      'debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732',
    )
  })

  it('equal OpenSSL and the pure-JS library at block edges, and HMAC for keys shorter and longer than a block', async () => {
    const dir = tempDir()
    for (const n of [0, 1, 55, 56, 63, 64, 65, 1000, 1 << 20]) {
      const data = randomBytes(n)
      writeFileSync(join(dir, 'd'), data)
      const cli = openssl('dgst', '-sm3', '-binary', join(dir, 'd'))
      expect((await sm3Implementations.wasm(data)).equals(cli)).toBe(true)
      expect(sm3Implementations.pureJs(data).equals(cli)).toBe(true)
    }
    const data = randomBytes(70_000)
    writeFileSync(join(dir, 'd'), data)
    for (const length of [16, 32, 64, 65, 100]) {
      const key = randomBytes(length)
      const cli = openssl('dgst', '-sm3', '-mac', 'HMAC', '-macopt', `hexkey:${key.toString('hex')}`, '-binary', join(dir, 'd'))
      expect((await sm3Implementations.wasmHmac(key, data)).equals(cli)).toBe(true)
    }
  })

  it('the pure-JS path (Electron) switches to it once loaded, with the same answers', () => {
    const script = `
      const gm = require('./electron/core/exchange/gm.ts')
      gm.wasmHashesReady().then(async (wasm) => {
        const key = Buffer.alloc(32, 7)
        await gm.prepareHmacSm3(key)
        console.log(JSON.stringify({ wasm, sm3: gm.sm3Digest(Buffer.from('abc')).toString('hex'), mac: gm.hmacSm3(key, Buffer.from('a'), Buffer.from('bc')).toString('hex') }))
      })`
    const out = execFileSync(process.execPath, ['--import', 'tsx', '-e', script], {
      env: { ...process.env, CREDIT_DESK_PURE_JS_GM: '1' },
      cwd: join(__dirname, '../..'),
    }).toString()
    const r = JSON.parse(out) as { wasm: boolean; sm3: string; mac: string }
    expect(r.wasm).toBe(true)
    expect(r.sm3).toBe('66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0')
    expect(Buffer.from(r.mac, 'hex').equals(hmacSm3(Buffer.alloc(32, 7), Buffer.from('abc')))).toBe(true)
  })
})

describe('SM2 with the OpenSSL 3 command line', () => {
  it('key files: ours read by OpenSSL, OpenSSL’s read by us, same fingerprint', () => {
    const dir = tempDir()
    const ours = sm2GenerateKeyPair()
    writeFileSync(join(dir, 'ours.key.pem'), sm2PrivateKeyPem(ours))
    const derived = openssl('pkey', '-in', join(dir, 'ours.key.pem'), '-pubout').toString()
    expect(derived).toBe(sm2PublicKeyPem(ours.publicKey))
    openssl('genpkey', '-algorithm', 'SM2', '-out', join(dir, 'theirs.key.pem'))
    const theirs = readSm2PrivateKeyPem(readFileSync(join(dir, 'theirs.key.pem'), 'utf8'))
    const theirPub = openssl('pkey', '-in', join(dir, 'theirs.key.pem'), '-pubout').toString()
    expect(readSm2PublicKeyPem(theirPub)).toBe(theirs.publicKey)
    writeFileSync(join(dir, 'theirs.pub.pem'), theirPub)
    const spki = openssl('pkey', '-pubin', '-in', join(dir, 'theirs.pub.pem'), '-outform', 'DER')
    expect(keyFingerprint(sm2PublicKeyDer(theirs.publicKey))).toBe(sm3Digest(spki).toString('hex'))
    // Not an SM2 key, not a key at all: refused with a reason.
    openssl('genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', join(dir, 'p256.key.pem'))
    expect(() => readSm2PublicKeyPem(openssl('pkey', '-in', join(dir, 'p256.key.pem'), '-pubout').toString())).toThrow(
      expect.objectContaining({ details: { reason: 'not_sm2' } }),
    )
    expect(() => readSm2PublicKeyPem('hello')).toThrow(expect.objectContaining({ details: { reason: 'not_pem' } }))
  })

  it('signatures (ID 1234567812345678) verify both ways; tampered and non-canonical ones do not', () => {
    const dir = tempDir()
    const key = sm2GenerateKeyPair()
    writeFileSync(join(dir, 'k.pem'), sm2PrivateKeyPem(key))
    writeFileSync(join(dir, 'p.pem'), sm2PublicKeyPem(key.publicKey))
    const message = randomBytes(3000)
    writeFileSync(join(dir, 'm'), message)
    const ours = sm2Sign(message, key)
    writeFileSync(join(dir, 'ours.sig'), ours)
    expect(
      openssl(
        'pkeyutl',
        '-verify',
        '-pubin',
        '-inkey',
        join(dir, 'p.pem'),
        '-rawin',
        '-digest',
        'sm3',
        '-pkeyopt',
        'distid:1234567812345678',
        '-in',
        join(dir, 'm'),
        '-sigfile',
        join(dir, 'ours.sig'),
      ).toString(),
    ).toContain('Success')
    openssl(
      'pkeyutl',
      '-sign',
      '-inkey',
      join(dir, 'k.pem'),
      '-rawin',
      '-digest',
      'sm3',
      '-pkeyopt',
      'distid:1234567812345678',
      '-in',
      join(dir, 'm'),
      '-out',
      join(dir, 'cli.sig'),
    )
    const cli = readFileSync(join(dir, 'cli.sig'))
    expect(sm2Verify(message, cli, key.publicKey)).toBe(true)
    const flipped = Buffer.from(message)
    flipped[7]! ^= 1
    expect(sm2Verify(flipped, cli, key.publicKey)).toBe(false)
    expect(sm2Verify(message, Buffer.concat([cli, Buffer.from([0])]), key.publicKey)).toBe(false) // trailing bytes
    expect(sm2Verify(message, sm2Sign(message, sm2GenerateKeyPair()), key.publicKey)).toBe(false)
  })

  it('envelopes (C1C3C2, GM/T 0009 DER) open both ways; a wrong key gives null, not garbage', () => {
    const dir = tempDir()
    const key = sm2GenerateKeyPair()
    writeFileSync(join(dir, 'k.pem'), sm2PrivateKeyPem(key))
    writeFileSync(join(dir, 'p.pem'), sm2PublicKeyPem(key.publicKey))
    for (let i = 0; i < 4; i++) {
      const secret = randomBytes(32)
      secret[0] = i // first bytes below 0x10 broke other libraries
      writeFileSync(join(dir, 'ct.der'), sm2Encrypt(secret, key.publicKey))
      expect(openssl('pkeyutl', '-decrypt', '-inkey', join(dir, 'k.pem'), '-in', join(dir, 'ct.der')).equals(secret)).toBe(true)
      writeFileSync(join(dir, 's.bin'), secret)
      const cli = openssl('pkeyutl', '-encrypt', '-pubin', '-inkey', join(dir, 'p.pem'), '-in', join(dir, 's.bin'))
      expect(sm2Decrypt(cli, key.privateKey)?.equals(secret)).toBe(true)
    }
    expect(sm2Decrypt(sm2Encrypt(randomBytes(32), key.publicKey), sm2GenerateKeyPair().privateKey)).toBeNull()
  })
})
