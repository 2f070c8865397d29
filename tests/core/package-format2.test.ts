// Format 2's records: bytes that are already ciphertext (scans sealed under their own keys) travel clear and only
// authenticated, everything else sealed; no record but the last is shorter than 64 KiB (a reader's memory per record
// stays bounded); OpenSSL alone still opens it; a body whose records do not tile is refused before any key is used.
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CHUNK_SIZE, openPackage, writePackage } from '../../electron/core/exchange/envelope'
import { randomBytes } from '../../electron/core/exchange/gm'
import { bodyRecords, CLEAR_FLAG, MIN_RECORD, recordLayout, type BodyPiece } from '../../electron/core/exchange/record-stream'
import { suiteOf } from '../../electron/core/exchange/suites'
import { PAX_CODING, PAX_KEY, payloadReader, tarStream } from '../../electron/core/exchange/payload'
import { gzipSync } from 'node:zlib'
import { tempDir } from '../helpers'

const SM = suiteOf('SM2-SM3-SM4')!
const STD = suiteOf('X25519-Ed25519-AES256GCM')!
const clear = (bytes: Buffer): BodyPiece => ({ clear: true, bytes })

/** Sealed and clear pieces around every edge: a sealed run shorter than MIN_RECORD before a clear one, a clear tail under it. */
function mixedPayload(rounds = 1) {
  const pieces: Array<{ bytes: Buffer; clear: boolean }> = Array.from({ length: rounds }, () => [
    { bytes: randomBytes(1000), clear: false },
    { bytes: randomBytes(3 * CHUNK_SIZE + 5), clear: true },
    { bytes: randomBytes(100), clear: false },
    { bytes: randomBytes(10), clear: true },
    { bytes: randomBytes(2 * CHUNK_SIZE), clear: false },
    { bytes: randomBytes(MIN_RECORD + 1), clear: true },
  ]).flat()
  return { pieces, body: pieces.map((p) => (p.clear ? clear(p.bytes) : p.bytes)), all: Buffer.concat(pieces.map((p) => p.bytes)) }
}

async function* from(pieces: BodyPiece[]) {
  yield* pieces
}

/** A tar stream of one entry with the given pax records, read back through the payload reader. */
async function readEntry(name: string, stored: Buffer, pax: Record<string, string>, o: Parameters<typeof payloadReader>[1] = {}) {
  const got: Array<{ name: string; data: Buffer }> = []
  const reader = payloadReader((n, data) => {
    got.push({ name: n, data })
  }, o)
  for await (const piece of tarStream(from1([{ name, size: stored.length, pieces: [stored], pax }])))
    await reader.write(Buffer.from(piece instanceof Uint8Array ? piece : piece.bytes))
  await reader.end()
  return got
}

async function* from1<T>(items: T[]) {
  yield* items
}

describe('coded entries are read with limits', () => {
  it('a gzip part opens; one that would expand past 64 MiB, an unknown coding or a scan without a usable key is refused', async () => {
    const rows = Buffer.from('{"a":1}\n'.repeat(1000))
    expect((await readEntry('tables/x/000001.ndjson', gzipSync(rows), { [PAX_CODING]: 'gzip' }))[0]!.data.equals(rows)).toBe(true)
    const bomb = gzipSync(Buffer.alloc(65 * 1024 * 1024)) // 65 MiB of zeros in about 64 KB
    await expect(readEntry('tables/x/000001.ndjson', bomb, { [PAX_CODING]: 'gzip' })).rejects.toThrow()
    await expect(readEntry('tables/x/000001.ndjson', rows, { [PAX_CODING]: 'zstd' })).rejects.toThrow(/unknown entry coding/)
    await expect(
      readEntry(`attachments/${'a'.repeat(64)}`, randomBytes(100), { [PAX_CODING]: 'sm4-gcm', [PAX_KEY]: 'xyz' }),
    ).rejects.toThrow(/usable key/)
    // Streamed to a sink, the same: no key, or too short to hold the IV and tag, and the sink is never opened.
    const sinks: string[] = []
    const streamed = { scans: async (n: string) => (sinks.push(n), null) }
    const scan = `attachments/${'b'.repeat(64)}`
    await expect(readEntry(scan, randomBytes(100), { [PAX_CODING]: 'sm4-gcm', [PAX_KEY]: 'xyz' }, streamed)).rejects.toThrow(/usable key/)
    await expect(readEntry(scan, randomBytes(27), { [PAX_CODING]: 'sm4-gcm', [PAX_KEY]: 'ab'.repeat(16) }, streamed)).rejects.toThrow(
      /usable key/,
    )
    expect(sinks).toEqual([])
    expect(await readEntry(scan, randomBytes(28), { [PAX_CODING]: 'sm4-gcm', [PAX_KEY]: 'ab'.repeat(16) }, streamed)).toEqual([])
    expect(sinks).toEqual([scan])
  })

  it('a scan cut off mid-stream fails the read; its sink is released, never ended', async () => {
    const events: string[] = []
    const reader = payloadReader(() => undefined, {
      scans: async () => ({
        write: async (plain) => void events.push(`write ${plain.length}`),
        end: async () => void events.push('end'),
        abort: async () => void events.push('abort'),
      }),
    })
    const stored = randomBytes(28 + 3 * (1 << 20))
    const pax = { [PAX_CODING]: 'sm4-gcm', [PAX_KEY]: 'ab'.repeat(16) }
    const tar: Buffer[] = []
    for await (const piece of tarStream(from1([{ name: `attachments/${'c'.repeat(64)}`, size: stored.length, pieces: [stored], pax }])))
      tar.push(Buffer.from(piece instanceof Uint8Array ? piece : piece.bytes))
    const cut = Buffer.concat(tar).subarray(0, 2 * (1 << 20) + 4096)
    await expect(
      (async () => {
        for (let at = 0; at < cut.length; at += 65536) await reader.write(cut.subarray(at, at + 65536))
        await reader.end()
      })(),
    ).rejects.toThrow()
    expect(events.at(-1)).toBe('abort')
    expect(events).not.toContain('end')
  })
})

describe('format 2 records', () => {
  it('cut the body in order, clear only where the bytes came clear, every record but the last at least 64 KiB', async () => {
    const { pieces, body, all } = mixedPayload()
    const records = []
    for await (const r of bodyRecords(from(body))) records.push(r)
    expect(Buffer.concat(records.map((r) => r.data)).equals(all)).toBe(true)
    expect(records.map((r) => r.last)).toEqual([...records.slice(1).map(() => false), true])
    for (const r of records.slice(0, -1)) expect(r.data.length).toBeGreaterThanOrEqual(MIN_RECORD)
    for (const r of records) expect(r.data.length).toBeLessThanOrEqual(CHUNK_SIZE)
    const clearSources = pieces.filter((p) => p.clear).map((p) => p.bytes)
    for (const r of records.filter((r) => r.clear)) expect(clearSources.some((src) => src.includes(r.data))).toBe(true)
    // Almost all of the 3 MiB clear piece goes clear (the short sealed run before it borrows at most MIN_RECORD).
    const clearBytes = records.filter((r) => r.clear).reduce((n, r) => n + r.data.length, 0)
    expect(clearBytes).toBeGreaterThanOrEqual(3 * CHUNK_SIZE + 5 - MIN_RECORD)
    // An empty body is one empty sealed record.
    const empty = []
    for await (const r of bodyRecords(from([]))) empty.push(r)
    expect(empty).toEqual([{ data: Buffer.alloc(0), clear: false, last: true }])
  })

  it.each([
    { suite: SM, rounds: 1 },
    { suite: STD, rounds: 1 },
    { suite: SM, rounds: 5 }, // more records than the slots they are sealed and written from: each reused once written
  ])(
    'round trip in the $suite.name suite, $rounds round(s): clear bytes stay as they were, sealed ones do not appear',
    async ({ suite, rounds }) => {
      const { body, all, pieces } = mixedPayload(rounds)
      const county = suite.generate()
      const city = suite.generate()
      const path = join(tempDir(), 'p.cdpkg')
      await writePackage({
        path,
        suite,
        kind: 'data',
        sequence: 1,
        createdAt: '2026-12-02T02:00:00Z',
        sender: { orgName: '示例县信用办', regionCode: '350102', uscc: '' },
        senderPrivatePem: county.privatePem,
        recipientPublicPem: city.publicPem,
        payload: from(body),
      })
      const file = readFileSync(path)
      expect(file.includes(pieces[1]!.bytes.subarray(MIN_RECORD, MIN_RECORD + 64))).toBe(true) // carried as it is
      expect(file.includes(pieces[4]!.bytes.subarray(1000, 1064))).toBe(false) // sealed
      const opened: Buffer[] = []
      await openPackage(
        path,
        {
          ownKeys: new Map([[suite.fingerprint(city.publicPem), city.privatePem]]),
          senders: new Map([[suite.fingerprint(county.publicPem), { publicPem: county.publicPem, retired: false }]]),
        },
        (p) => {
          opened.push(Buffer.from(p))
        },
      )
      expect(Buffer.concat(opened).equals(all)).toBe(true)
    },
  )

  it('OpenSSL alone verifies and opens a package with clear records', async () => {
    const { body, all } = mixedPayload()
    const county = SM.generate()
    const city = SM.generate()
    const dir = tempDir()
    const path = join(dir, 'p.cdpkg')
    await writePackage({
      path,
      suite: SM,
      kind: 'data',
      sequence: 4,
      createdAt: '2026-12-02T02:00:00Z',
      sender: { orgName: '示例县信用办', regionCode: '350102', uscc: '' },
      senderPrivatePem: county.privatePem,
      recipientPublicPem: city.publicPem,
      payload: from(body),
    })
    writeFileSync(join(dir, 'city.key.pem'), city.privatePem)
    writeFileSync(join(dir, 'county.pub.pem'), county.publicPem)
    const out = execFileSync('bash', [
      join(__dirname, '../../scripts/openssl/open-package.sh'),
      path,
      join(dir, 'city.key.pem'),
      join(dir, 'county.pub.pem'),
      join(dir, 'out.bin'),
    ]).toString()
    expect(out).toContain('sequence 4')
    expect(readFileSync(join(dir, 'out.bin')).equals(all)).toBe(true)
  })

  it('a body whose records do not tile it, or with a short record before the end, is refused before any key is used', async () => {
    const record = (length: number, isClear = false) => {
      const b = Buffer.alloc(4 + length + 32)
      b.writeUInt32BE((isClear ? CLEAR_FLAG : 0) + length)
      return b
    }
    const layout = (body: Buffer) => recordLayout(async (at, n) => body.subarray(at, at + n), 0, body.length, 32)
    expect(await layout(Buffer.concat([record(MIN_RECORD), record(10, true)]))).toEqual([
      { at: 4, length: MIN_RECORD, clear: false },
      { at: 4 + MIN_RECORD + 32 + 4, length: 10, clear: true },
    ])
    expect(await layout(Buffer.concat([record(MIN_RECORD - 1), record(10)]))).toBeNull() // short, not last
    expect(await layout(Buffer.concat([record(10), Buffer.alloc(3)]))).toBeNull() // bytes left over
    expect(await layout(record(CHUNK_SIZE + 1))).toBeNull() // longer than a chunk
    expect(await layout(Buffer.alloc(0))).toBeNull() // no record
  })
})
