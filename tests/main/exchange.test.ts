// Transfer packages through the router: keys made at setup, the city's key imported by the admin only, an export
// job with progress, a receipt acknowledging it, a tampered package refused and logged — and no one else allowed.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openPackage, writePackage } from '../../electron/core/exchange/envelope'
import { receiptRows } from '../../electron/core/exchange/packages'
import { payloadReader, payloadStream, tablesPayload } from '../../electron/core/exchange/payload'
import { suiteOf } from '../../electron/core/exchange/suites'
import { adminSession, errorOf, expectOk, freshBackend, tempDir, userSession } from '../helpers'

type Job = {
  id: string
  state: string
  rowsDone: number
  rowsTotal: number
  exported: { sequence: number; digest: string; counts: Record<string, number> } | null
  imported: Record<string, unknown> | null
  error: { code: string; details?: Record<string, unknown> } | null
}
const SM = suiteOf('SM2-SM3-SM4')!

async function settle(call: (n: string, i?: unknown) => Promise<{ ok: boolean; data?: unknown }>, job: Job): Promise<Job> {
  for (let i = 0; i < 200 && job.state === 'running'; i++) {
    await new Promise((r) => setTimeout(r, 20))
    job = expectOk(await call('exchange:job', { jobId: job.id })) as Job
  }
  return job
}

describe('transfer packages through the router', () => {
  it('keys at setup, the peer imported by the admin, an export job, a receipt, a tampered package refused', async () => {
    const b = await freshBackend()
    const admin = await adminSession(b)
    const clerk = await userSession(b, admin, 'clerk1', ['clerk'])
    const boss = await userSession(b, admin, 'boss', ['supervisor'])
    const status = expectOk(await clerk('exchange:status')) as { keys: Array<{ suite: string; spoken: string }>; peers: unknown[] }
    expect(status.keys).toEqual([
      expect.objectContaining({ suite: 'SM2-SM3-SM4', spoken: expect.stringMatching(/^([0-9A-F]{4} ){7}[0-9A-F]{4}$/) }),
    ])
    expect(errorOf(await boss('exchange:status')).code).toBe('FORBIDDEN')

    // No peer yet: exporting says so.
    expect(errorOf(await clerk('exchange:preview', { full: false })).details).toMatchObject({ reason: 'no_peer' })
    const city = SM.generate()
    const dir = tempDir()
    writeFileSync(join(dir, 'city.pub.pem'), city.publicPem)
    b.openPath.value = join(dir, 'city.pub.pem')
    expect(errorOf(await clerk('exchange:import-peer', { name: '市平台' })).code).toBe('FORBIDDEN')
    const peer = expectOk(await admin('exchange:import-peer', { name: '市社会信用信息平台' })) as { peer: { spoken: string } }
    expect(peer.peer.spoken).toMatch(/^([0-9A-F]{4} ){7}[0-9A-F]{4}$/)
    b.savePath.value = join(dir, 'county.pub.pem')
    expectOk(await admin('exchange:export-public'))
    const countyPub = readFileSync(join(dir, 'county.pub.pem'), 'utf8')

    const preview = expectOk(await clerk('exchange:preview', { full: false })) as { counts: Record<string, number>; nextSequence: number }
    expect(preview).toMatchObject({ nextSequence: 1, counts: { records: 0, record_actions: 0, task_progress: 0 } })
    b.savePath.value = join(dir, '350102-增量-00001.cdpkg')
    const started = expectOk(await clerk('exchange:export-start', { full: false })) as { job: Job }
    const done = await settle(clerk, started.job)
    expect(done).toMatchObject({ state: 'done', exported: { sequence: 1 } })
    // Someone else's job is not visible (and the administrator sends no business data at all).
    const colleague = await userSession(b, admin, 'clerk2', ['clerk'])
    expect(errorOf(await colleague('exchange:job', { jobId: done.id })).code).toBe('NOT_FOUND')
    expect(errorOf(await admin('exchange:job', { jobId: done.id })).code).toBe('FORBIDDEN')

    // The city answers with a receipt; the clerk imports it.
    const cityKeys = {
      ownKeys: new Map([[SM.fingerprint(city.publicPem), city.privatePem]]),
      senders: new Map([[SM.fingerprint(countyPub), { publicPem: countyPub, retired: false }]]),
    }
    const reader = payloadReader(() => undefined)
    const opened = await openPackage(join(dir, '350102-增量-00001.cdpkg'), cityKeys, (p) => reader.write(p))
    await reader.end()
    expect(opened.header.sender).toMatchObject({ orgName: '示例县信用办', regionCode: '350102', uscc: '91350100M000100Y43' })
    /** The city's receipt for that package, as a file on the stick. */
    const cityReceipt = async (path: string, receivedAt: string) => {
      await writePackage({
        path,
        suite: SM,
        kind: 'receipt',
        sequence: 1,
        createdAt: new Date().toISOString(),
        sender: { orgName: '市社会信用信息平台', regionCode: '350100', uscc: '' },
        senderPrivatePem: city.privatePem,
        recipientPublicPem: countyPub,
        payload: tablesPayload('receipt', { receipts: receiptRows(opened.header, opened.digest, {}, receivedAt) }),
      })
      return path
    }
    const receiptPath = await cityReceipt(join(dir, 'receipt-1.cdpkg'), '2026-11-23T03:00:00Z')
    b.openPath.value = receiptPath
    const imported = await settle(clerk, (expectOk(await clerk('exchange:import-start')) as { job: Job }).job)
    expect(imported).toMatchObject({
      state: 'done',
      imported: { kind: 'receipt', alreadyImported: false, changes: { packagesAcknowledged: 1 } },
    })
    const log = (
      expectOk(await clerk('exchange:status')) as {
        packages: Array<{ direction: string; sequence: number; acknowledgedAt: number | null }>
      }
    ).packages
    expect(log.map((p) => [p.direction, p.sequence, p.acknowledgedAt != null])).toEqual([
      ['in', 1, false],
      ['out', 1, true],
    ])
    // The city re-issues its receipt for the same package (a new file, the same sequence): no replay, no SQL error, nothing new.
    b.openPath.value = await cityReceipt(join(dir, 'receipt-1-again.cdpkg'), '2026-11-23T04:00:00Z')
    const reissued = await settle(clerk, (expectOk(await clerk('exchange:import-start')) as { job: Job }).job)
    expect(reissued).toMatchObject({
      state: 'done',
      imported: { kind: 'receipt', alreadyImported: false, changes: { packagesAcknowledged: 0 } },
    })

    // A tampered package: refused, nothing applied, the refusal in the audit log with its reason.
    const bytes = readFileSync(receiptPath)
    bytes[bytes.length - 100]! ^= 1
    writeFileSync(join(dir, 'tampered.cdpkg'), bytes)
    b.openPath.value = join(dir, 'tampered.cdpkg')
    const refused = await settle(clerk, (expectOk(await clerk('exchange:import-start')) as { job: Job }).job)
    expect(refused).toMatchObject({
      state: 'failed',
      error: { code: 'PACKAGE_REJECTED', details: { reason: expect.stringMatching(/chunk|signature/) } },
    })
    const audit = await b
      .db('audit_log')
      .whereIn('procedure', ['job:package-export', 'job:package-import', 'exchange:import-peer', 'setup:complete'])
      .orderBy('id')
      .select('procedure', 'result')
    expect(audit.map((a) => `${a.procedure} ${a.result}`)).toEqual([
      'setup:complete ok',
      'exchange:import-peer FORBIDDEN',
      'exchange:import-peer ok',
      'job:package-export ok',
      'job:package-import ok',
      'job:package-import ok',
      expect.stringMatching(/^job:package-import PACKAGE_REJECTED:(chunk|signature)$/),
    ])
    expect(await b.db('exchange_packages').count({ n: '*' })).toEqual([{ n: 3 }])

    // Signed by the city, yet its payload holds a line that is not JSON: refused as a whole, nothing applied.
    const malformed = join(dir, 'receipt-2.cdpkg')
    await writePackage({
      path: malformed,
      suite: SM,
      kind: 'receipt',
      sequence: 2,
      createdAt: new Date().toISOString(),
      sender: { orgName: '市社会信用信息平台', regionCode: '350100', uscc: '' },
      senderPrivatePem: city.privatePem,
      recipientPublicPem: countyPub,
      payload: payloadStream(
        (async function* () {
          yield { name: 'tables/receipts/part-00001.ndjson', data: Buffer.from('{"packageDigest":\n') }
        })(),
        { kind: 'receipt', counts: { receipts: 1 }, attachments: 0 },
      ),
    })
    b.openPath.value = malformed
    const garbled = await settle(clerk, (expectOk(await clerk('exchange:import-start')) as { job: Job }).job)
    expect(garbled).toMatchObject({ state: 'failed', error: { code: 'PACKAGE_REJECTED', details: { reason: 'bad_payload' } } })
    expect(await b.db('exchange_packages').count({ n: '*' })).toEqual([{ n: 3 }])
  })
})
