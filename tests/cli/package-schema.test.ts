// The JSON Schemas beside docs/package-format.md describe the packages the app really writes: a header and a
// manifest of every kind, in both suites, validated with an independent validator (ajv). What the app refuses to
// read, the schema refuses too.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Ajv from 'ajv'
import { describe, expect, it } from 'vitest'
import { main } from '../../electron/cli/index'
import { PackageHeaderSchema } from '../../electron/core/exchange/envelope'
import { payloadReader, tablesPayload } from '../../electron/core/exchange/payload'
import { unlockDataDir } from '../../electron/core/shared/data-dir-lock'
import { manualClock } from '../../electron/core/shared/clock'
import { openDatabase } from '../../electron/core/shared/open-database'
import { completeSetup } from '../../electron/core/system/setup'
import { PLAN } from '../fixtures/sample-plan'
import { SETUP, tempDir } from '../helpers'

const DOCS = join(__dirname, '..', '..', 'docs')
const ajv = new Ajv({ allErrors: true, strict: false }) // (if/then branches narrow and require properties defined at the top)
const headerValid = ajv.compile(JSON.parse(readFileSync(join(DOCS, 'package-header.schema.json'), 'utf8')))
const manifestValid = ajv.compile(JSON.parse(readFileSync(join(DOCS, 'package-manifest.schema.json'), 'utf8')))

const headerOf = (path: string) => {
  const bytes = readFileSync(path)
  return JSON.parse(bytes.subarray(16, 16 + bytes.readUInt32BE(12)).toString('utf8')) as Record<string, unknown>
}

async function run(...args: string[]) {
  const out: string[] = []
  const code = await main(args, { log: (l) => out.push(l), error: () => {} })
  expect(code, args.join(' ')).toBe(0)
  return out
}

describe('package JSON Schemas', () => {
  it.each(['sm', 'standard'])('every kind of package the app writes fits them (%s suite)', async (suite) => {
    const dataDir = tempDir()
    const keysDir = tempDir()
    const work = tempDir()
    const { db } = await openDatabase(dataDir)
    await completeSetup(db, manualClock(Date.parse('2026-11-23T02:00:00Z')), SETUP)
    await db.destroy()
    await run('demo', 'seed', '--records', '100', '--people', '5', '--data-dir', dataDir)
    await run('keys', 'generate', '--out', keysDir, '--name', 'city', '--suite', suite)
    await run('keys', 'import-peer', join(keysDir, 'city.pub.pem'), '--name', '市信用办', '--data-dir', dataDir)
    const countyPub = join(keysDir, 'county.pub.pem')
    await run('keys', 'export-public', '--out', countyPub, '--data-dir', dataDir)
    const city = ['--key', join(keysDir, 'city.key.pem')]

    const data = join(work, 'data.cdpkg')
    await run('package', 'export', '--to', data, '--data-dir', dataDir, '--include', 'archives', '--confirm-personal')
    await run('package', 'receipt', data, ...city, '--sender', countyPub, '--to', join(work, 'receipt.cdpkg'))
    writeFileSync(join(work, 'plan.txt'), PLAN)
    writeFileSync(join(work, 'plan.json'), (await run('plan', 'parse', join(work, 'plan.txt'), '--json')).join('\n'))
    await run(
      'package',
      'tasks',
      join(work, 'plan.json'),
      ...city,
      '--recipient',
      countyPub,
      '--sequence',
      '1',
      '--to',
      join(work, 'tasks.cdpkg'),
    )
    await run('package', 'open', data, ...city, '--sender', countyPub, '--out', join(work, 'opened-data'))
    writeFileSync(
      join(work, 'items.json'),
      JSON.stringify(
        readFileSync(join(work, 'opened-data/tables/catalog_items/000001.ndjson'), 'utf8')
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l)),
      ),
    )
    await run(
      'package',
      'catalog',
      join(work, 'items.json'),
      ...city,
      '--recipient',
      countyPub,
      '--sequence',
      '1',
      '--to',
      join(work, 'catalog.cdpkg'),
    )
    unlockDataDir(dataDir)

    for (const kind of ['data', 'receipt', 'tasks', 'catalog']) {
      const path = join(work, `${kind}.cdpkg`)
      const header = headerOf(path)
      expect(headerValid(header), `${kind} header: ${JSON.stringify(headerValid.errors)}`).toBe(true)
      expect(header.kind).toBe(kind)
      // The county opens what the city wrote, and the city what the county wrote: read their manifests.
      const sender = kind === 'data' ? countyPub : join(keysDir, 'city.pub.pem')
      const key = kind === 'data' ? join(keysDir, 'city.key.pem') : null
      const opened = join(work, `opened-${kind}-manifest`)
      if (key) await run('package', 'open', path, '--key', key, '--sender', sender, '--out', opened)
      else continue // (city → county packages are opened by the county's import; their manifests come from the same writer)
      const manifest = JSON.parse(readFileSync(join(opened, 'manifest.json'), 'utf8')) as Record<string, unknown>
      expect(manifestValid(manifest), `${kind} manifest: ${JSON.stringify(manifestValid.errors)}`).toBe(true)
      expect(Object.keys(manifest.counts as object)).toEqual(
        expect.arrayContaining(['records', 'people', 'archive_entries', 'catalog_items']),
      )
    }
  })

  it.each(['tasks', 'receipt', 'catalog'])('the manifest of a %s package (as the city writes it) fits the schema', async (kind) => {
    const samples: Record<string, Record<string, Array<Record<string, unknown>>>> = {
      tasks: { plans: [{ externalId: 'P' }], tasks: [] },
      receipt: { receipts: [{ packageDigest: 'a'.repeat(64), sequence: 1 }] },
      catalog: { catalog_items: [{ code: 'X' }] },
    }
    const tables = samples[kind]!
    let manifest: unknown = null
    const reader = payloadReader((name, data) => {
      if (name === 'manifest.json') manifest = JSON.parse(data.toString('utf8'))
    })
    for await (const piece of tablesPayload(kind, tables))
      await reader.write(Buffer.from(piece instanceof Uint8Array ? piece : piece.bytes))
    await reader.end()
    expect(manifestValid(manifest), JSON.stringify(manifestValid.errors)).toBe(true)
    expect(manifestValid({ ...(manifest as object), full: true })).toBe(false) // only a data package says full/from/to
    expect(manifestValid({ ...(manifest as object), files: [] })).toBe(false) // the list is called `entries`
  })

  it("refuses what the reader refuses (the same rules as the app's own header check)", () => {
    const good = {
      format: 'credit-desk-package',
      version: 1,
      suite: 'SM2-SM3-SM4',
      chunkSize: 1048576,
      salt: '8a7ed9f9d116a1bae4ad9b6828970e07',
      kind: 'receipt',
      sequence: 7,
      createdAt: '2026-11-23T01:30:00.000Z',
      sender: { orgName: '某市', regionCode: '350100', uscc: '', keyFingerprint: 'a'.repeat(64) },
      recipient: { keyFingerprint: 'b'.repeat(64), wrappedKey: Buffer.alloc(139, 7).toString('base64') },
    }
    for (const version of [1, 2]) {
      expect(headerValid({ ...good, version })).toBe(true)
      expect(PackageHeaderSchema.safeParse({ ...good, version }).success).toBe(true)
    }
    const bad: Array<Record<string, unknown>> = [
      { ...good, sequence: '7' },
      { ...good, sequence: 2 ** 31 },
      { ...good, sequence: 0 },
      { ...good, salt: 5 },
      { ...good, version: 3 },
      { ...good, version: 0 },
      { ...good, extra: 1 },
      { ...good, createdAt: 'yesterday' },
      { ...good, suite: 'X25519-Ed25519-AES256GCM' },
      { ...good, kind: 'all' },
      { ...good, recipient: { ...good.recipient, keyFingerprint: 'B'.repeat(64) } },
      { ...good, chunkSize: 65536 },
    ]
    for (const h of bad) {
      expect(headerValid(h), JSON.stringify(h)).toBe(false)
      expect(PackageHeaderSchema.safeParse(h).success, JSON.stringify(h)).toBe(false)
    }
  })
})
