// The package file itself: round trips in both suites, the OpenSSL-only reader and writer, and every bad input
// the issue lists — each rejected with its reason before a single byte of payload is handed on.
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, readdirSync, truncateSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CHUNK_SIZE, openPackage, writePackage, type OpenKeys, type PackageKind } from '../../electron/core/exchange/envelope'
import { randomBytes } from '../../electron/core/exchange/gm'
import { suiteOf, type Suite } from '../../electron/core/exchange/suites'
import { tempDir } from '../helpers'

const SM = suiteOf('SM2-SM3-SM4')!
const STD = suiteOf('X25519-Ed25519-AES256GCM')!
const COUNTY = { orgName: '示例县信用办', regionCode: '350102', uscc: '11350102MB0000000X' }
const SCRIPTS = join(__dirname, '../../scripts/openssl')

async function* once(data: Buffer) {
  yield data
}

function parties(suite: Suite) {
  const county = suite.generate()
  const city = suite.generate()
  const cityKeys: OpenKeys = {
    ownKeys: new Map([[suite.fingerprint(city.publicPem), city.privatePem]]),
    senders: new Map([[suite.fingerprint(county.publicPem), { publicPem: county.publicPem, retired: false }]]),
  }
  return { county, city, cityKeys }
}

async function write(
  suite: Suite,
  payload: Buffer,
  o: { kind?: PackageKind; sequence?: number; writeLimit?: number; signal?: AbortSignal } = {},
) {
  const p = parties(suite)
  const dir = tempDir()
  const path = join(dir, 'county-1.cdpkg')
  const written = await writePackage({
    path,
    suite,
    kind: o.kind ?? 'data',
    sequence: o.sequence ?? 1,
    createdAt: '2026-11-23T02:00:00Z',
    sender: COUNTY,
    senderPrivatePem: p.county.privatePem,
    recipientPublicPem: p.city.publicPem,
    payload: once(payload),
    writeLimit: o.writeLimit,
    signal: o.signal,
  })
  return { ...p, dir, path, written }
}

async function readAll(path: string, keys: OpenKeys): Promise<Buffer> {
  const parts: Buffer[] = []
  await openPackage(path, keys, (plain) => {
    parts.push(plain)
  })
  return Buffer.concat(parts)
}

describe('transfer package files', () => {
  it.each([SM, STD])('round trip in the $name suite at chunk boundaries', async (suite) => {
    for (const size of [0, 1, CHUNK_SIZE - 1, CHUNK_SIZE, CHUNK_SIZE + 1, 2 * CHUNK_SIZE + 7]) {
      const payload = randomBytes(size)
      const { path, cityKeys, written } = await write(suite, payload)
      expect(written.chunks).toBe(Math.max(1, Math.ceil(size / CHUNK_SIZE)))
      expect((await readAll(path, cityKeys)).equals(payload)).toBe(true)
    }
  })

  it('OpenSSL alone verifies and decrypts our package', async () => {
    const payload = randomBytes(CHUNK_SIZE + 4321)
    const { dir, path, county, city } = await write(SM, payload, { sequence: 7 })
    writeFileSync(join(dir, 'city.key.pem'), city.privatePem)
    writeFileSync(join(dir, 'county.pub.pem'), county.publicPem)
    const out = execFileSync('bash', [
      join(SCRIPTS, 'open-package.sh'),
      path,
      join(dir, 'city.key.pem'),
      join(dir, 'county.pub.pem'),
      join(dir, 'out.bin'),
    ]).toString()
    expect(out).toContain('verified: 2 chunk(s), sequence 7')
    expect(readFileSync(join(dir, 'out.bin')).equals(payload)).toBe(true)
    // …and refuses a tampered one.
    const bytes = readFileSync(path)
    bytes[bytes.length - 200]! ^= 0x10
    writeFileSync(path, bytes)
    expect(() =>
      execFileSync(
        'bash',
        [join(SCRIPTS, 'open-package.sh'), path, join(dir, 'city.key.pem'), join(dir, 'county.pub.pem'), join(dir, 'out.bin')],
        { stdio: 'pipe' },
      ),
    ).toThrow(/tag mismatch/)
  })

  it('a package OpenSSL built opens here', async () => {
    const { county, city, cityKeys } = parties(SM)
    const dir = tempDir()
    writeFileSync(join(dir, 'county.key.pem'), county.privatePem)
    writeFileSync(join(dir, 'city.pub.pem'), city.publicPem)
    const payload = randomBytes(CHUNK_SIZE * 2 + 99)
    writeFileSync(join(dir, 'payload.tar'), payload)
    const path = join(dir, 'from-openssl.cdpkg')
    execFileSync('bash', [
      join(SCRIPTS, 'make-package.sh'),
      join(dir, 'payload.tar'),
      join(dir, 'county.key.pem'),
      join(dir, 'city.pub.pem'),
      'tasks',
      '3',
      path,
      '某市信用办',
      '350100',
      '11350100MB0000000X',
    ])
    const opened: Buffer[] = []
    const result = await openPackage(path, cityKeys, (p) => {
      opened.push(p)
    })
    expect(result.header).toMatchObject({ kind: 'tasks', sequence: 3, sender: { orgName: '某市信用办' } })
    expect(Buffer.concat(opened).equals(payload)).toBe(true)
  })

  describe('bad input: rejected with its reason, nothing handed on', () => {
    async function rejected(path: string, keys: OpenKeys) {
      let handed = 0
      const err = await openPackage(path, keys, () => {
        handed++
      }).then(
        () => null,
        (e: { code: string; details: Record<string, unknown> }) => e,
      )
      expect(handed).toBe(0)
      return err
    }

    it('a flipped bit anywhere: header, a chunk, the tag, the signature', async () => {
      const { path, cityKeys } = await write(SM, randomBytes(CHUNK_SIZE + 10))
      const original = readFileSync(path)
      const headerLength = original.readUInt32BE(12)
      const record = 4 + CHUNK_SIZE + 32 // prefix, data, tag
      const spots = {
        header: 16 + 40,
        chunk1: 16 + headerLength + 100,
        chunk2: 16 + headerLength + record + 4 + 3,
        clearFlag: 16 + headerLength + record, // the second record claims to be clear
        length: 16 + headerLength + 3, // the first record's length
        signature: original.length - 20,
        trailer: original.length - 1,
      }
      const reasons: Record<string, unknown> = {}
      for (const [name, at] of Object.entries(spots)) {
        const b = Buffer.from(original)
        b[at]! ^= name === 'clearFlag' ? 0x80 : 0x01
        writeFileSync(path, b)
        reasons[name] = (await rejected(path, cityKeys))?.details
      }
      expect(reasons.header).toMatchObject({
        reason: expect.stringMatching(/bad_header|chunk|wrong_recipient|unknown_sender|unwrap_failed/),
      })
      expect(reasons.chunk1).toEqual({ reason: 'chunk', chunk: 1 })
      expect(reasons.chunk2).toEqual({ reason: 'chunk', chunk: 2 })
      expect(reasons.clearFlag).toEqual({ reason: 'chunk', chunk: 2 })
      expect(reasons.length).toEqual({ reason: 'truncated' }) // the records no longer tile the body
      expect(reasons.signature).toEqual({ reason: 'signature' })
      expect(reasons.trailer).toMatchObject({ reason: expect.stringMatching(/truncated|chunk/) }) // the body's end moves by a byte
    })

    it('a truncated file, reordered chunks, a renamed file of another type, a newer format version', async () => {
      const { path, cityKeys, dir } = await write(SM, randomBytes(3 * CHUNK_SIZE))
      const original = readFileSync(path)
      truncateSync(path, original.length - 5000)
      expect((await rejected(path, cityKeys))?.details).toMatchObject({ reason: 'truncated' })
      // Chunks 1 and 2 swapped.
      const headerEnd = 16 + original.readUInt32BE(12)
      const record = 4 + CHUNK_SIZE + 32
      const swapped = Buffer.concat([
        original.subarray(0, headerEnd),
        original.subarray(headerEnd + record, headerEnd + 2 * record),
        original.subarray(headerEnd, headerEnd + record),
        original.subarray(headerEnd + 2 * record),
      ])
      writeFileSync(path, swapped)
      expect((await rejected(path, cityKeys))?.details).toEqual({ reason: 'chunk', chunk: 1 })
      const zip = join(dir, 'photo.cdpkg')
      writeFileSync(zip, Buffer.concat([Buffer.from('PK\x03\x04'), randomBytes(5000)]))
      expect((await rejected(zip, cityKeys))?.details).toEqual({ reason: 'not_package' })
      const newer = Buffer.from(original)
      newer.writeUInt16BE(3, 8)
      writeFileSync(path, newer)
      expect((await rejected(path, cityKeys))?.details).toEqual({ reason: 'newer_version', version: 3 })
    })

    it('another recipient, an unknown sender, a rotated-out sender', async () => {
      const { path, cityKeys, county } = await write(SM, randomBytes(100))
      const stranger = SM.generate()
      const notForUs: OpenKeys = { ...cityKeys, ownKeys: new Map([[SM.fingerprint(stranger.publicPem), stranger.privatePem]]) }
      expect((await rejected(path, notForUs))?.details).toMatchObject({ reason: 'wrong_recipient' })
      expect((await rejected(path, { ...cityKeys, senders: new Map() }))?.details).toMatchObject({
        reason: 'unknown_sender',
        orgName: '示例县信用办',
      })
      const retired: OpenKeys = {
        ...cityKeys,
        senders: new Map([[SM.fingerprint(county.publicPem), { publicPem: county.publicPem, retired: true }]]),
      }
      expect((await rejected(path, retired))?.details).toMatchObject({ reason: 'retired_sender' })
      // A sender key of the same fingerprint but signed by someone else cannot happen; a forged signature is caught.
      const forger = SM.generate()
      const forged: OpenKeys = {
        ...cityKeys,
        senders: new Map([[SM.fingerprint(county.publicPem), { publicPem: forger.publicPem, retired: false }]]),
      }
      expect((await rejected(path, forged))?.details).toEqual({ reason: 'signature' })
    })

    it('a stick pulled out / a full disk mid-write, or a cancel, leaves no file that looks like a package', async () => {
      const dir = tempDir()
      const { county, city } = parties(SM)
      const base = {
        suite: SM,
        kind: 'data' as const,
        sequence: 1,
        createdAt: '2026-11-23T02:00:00Z',
        sender: COUNTY,
        senderPrivatePem: county.privatePem,
        recipientPublicPem: city.publicPem,
      }
      await expect(
        writePackage({ ...base, path: join(dir, 'a.cdpkg'), payload: once(randomBytes(3 * CHUNK_SIZE)), writeLimit: 2 * CHUNK_SIZE }),
      ).rejects.toMatchObject({ code: 'DISK_FULL' })
      const abort = new AbortController()
      abort.abort()
      await expect(
        writePackage({ ...base, path: join(dir, 'b.cdpkg'), payload: once(randomBytes(10)), signal: abort.signal }),
      ).rejects.toMatchObject({ code: 'CANCELLED' })
      expect(readdirSync(dir)).toEqual([])
      expect(existsSync(join(dir, 'a.cdpkg'))).toBe(false)
    })
  })
})

describe('the lead and the header are checked exactly', () => {
  /** The package with its header replaced (length field updated); the signature no longer matters: this is refused first. */
  function withHeader(path: string, edit: (h: Record<string, unknown>) => unknown): string {
    const bytes = readFileSync(path)
    const length = bytes.readUInt32BE(12)
    const header = JSON.parse(bytes.subarray(16, 16 + length).toString('utf8')) as Record<string, unknown>
    const next = Buffer.from(JSON.stringify(edit(header)), 'utf8')
    const lead = Buffer.from(bytes.subarray(0, 16))
    lead.writeUInt32BE(next.length, 12)
    const out = `${path}.edited.cdpkg`
    writeFileSync(out, Buffer.concat([lead, next, bytes.subarray(16 + length)]))
    return out
  }

  const reason = (path: string, keys: OpenKeys) =>
    openPackage(path, keys).then(
      () => 'opened',
      (e: { details?: { reason?: string } }) => e.details?.reason ?? String(e),
    )

  it('refuses a version or reserved field in the lead other than the exact values (nothing else covers those bytes)', async () => {
    const { path, cityKeys } = await write(SM, Buffer.from('payload'))
    expect(await reason(path, cityKeys)).toBe('opened')
    for (const [at, value] of [
      [8, 0],
      [10, 1],
      [11, 0x80],
    ] as const) {
      const bytes = readFileSync(path)
      if (at === 8) bytes.writeUInt16BE(value, 8)
      else bytes[at] = value
      writeFileSync(`${path}.lead`, bytes)
      expect(await reason(`${path}.lead`, cityKeys), `byte ${at} = ${value}`).toBe('bad_header')
    }
  })

  it('refuses a header that is not what the format says, before using any field', async () => {
    const { path, cityKeys } = await write(SM, Buffer.from('payload'))
    const cases: Array<[string, (h: Record<string, unknown>) => unknown]> = [
      ['null', () => null],
      ['an array', () => []],
      ['a numeric salt', (h) => ({ ...h, salt: 12345 })],
      ['a short salt', (h) => ({ ...h, salt: 'abcd' })],
      ['a string sequence', (h) => ({ ...h, sequence: '1' })],
      ['sequence 0', (h) => ({ ...h, sequence: 0 })],
      ['sequence 2^31', (h) => ({ ...h, sequence: 2 ** 31 })],
      ['sequence 1e300', (h) => ({ ...h, sequence: 1e300 })],
      ['a fractional sequence', (h) => ({ ...h, sequence: 1.5 })],
      ['an unknown kind', (h) => ({ ...h, kind: 'everything' })],
      ['another chunk size', (h) => ({ ...h, chunkSize: 4096 })],
      [
        'an upper-case fingerprint',
        (h) => ({
          ...h,
          sender: {
            ...(h.sender as object),
            keyFingerprint: String((h.sender as { keyFingerprint: string }).keyFingerprint).toUpperCase(),
          },
        }),
      ],
      ['no recipient', (h) => ({ ...h, recipient: undefined })],
      [
        'an 80-byte wrapped key under SM2',
        (h) => ({ ...h, recipient: { ...(h.recipient as object), wrappedKey: Buffer.alloc(80).toString('base64') } }),
      ],
      ['an extra field', (h) => ({ ...h, note: 'x' })],
      ['a date that is not a date', (h) => ({ ...h, createdAt: 'yesterday' })],
    ]
    for (const [name, edit] of cases) expect(await reason(withHeader(path, edit), cityKeys), name).toBe('bad_header')
  })

  it('will not write a header it would refuse to read (a sequence that is not a 31-bit positive integer)', async () => {
    for (const sequence of ['abc', 1e300, 2 ** 31, 0] as unknown as number[]) {
      await expect(write(SM, Buffer.from('payload'), { sequence }), String(sequence)).rejects.toMatchObject({ code: 'VALIDATION' })
    }
    const { written } = await write(SM, Buffer.from('payload'), { sequence: 2 ** 31 - 1 })
    expect(written.header.sequence).toBe(2 ** 31 - 1)
  })
})

describe('writing a package', () => {
  it('reads the file back under its temporary name, lets the caller log it, and only then gives it its name', async () => {
    const p = parties(SM)
    const dir = tempDir()
    const path = join(dir, 'county-1.cdpkg')
    const seen: string[][] = []
    const base = {
      path,
      suite: SM,
      kind: 'data' as const,
      sequence: 1,
      createdAt: '2026-11-23T02:00:00Z',
      sender: COUNTY,
      senderPrivatePem: p.county.privatePem,
      recipientPublicPem: p.city.publicPem,
    }
    const written = await writePackage({
      ...base,
      payload: once(Buffer.from('rows')),
      beforeRename: async (w) => {
        seen.push(readdirSync(dir))
        expect(w.digest).toMatch(/^[0-9a-f]{64}$/)
      },
    })
    expect(seen).toEqual([[expect.stringMatching(/^\.county-1\.cdpkg\.[0-9a-f]{8}\.partial$/)]])
    expect(readdirSync(dir)).toEqual(['county-1.cdpkg'])
    expect((await openPackage(path, p.cityKeys)).digest).toBe(written.digest)
    // If logging fails, nothing is left under either name.
    const other = join(dir, 'county-2.cdpkg')
    await expect(
      writePackage({
        ...base,
        path: other,
        payload: once(Buffer.from('rows')),
        beforeRename: async () => Promise.reject(new Error('database gone')),
      }),
    ).rejects.toMatchObject({ code: 'FILE_WRITE_FAILED' })
    expect(readdirSync(dir)).toEqual(['county-1.cdpkg'])
  })
})
