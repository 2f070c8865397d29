import { createHash } from 'node:crypto'
import { join } from 'node:path'
import sqlite3 from 'sqlite3'
import { describe, expect, it } from 'vitest'
import { hostname, userInfo } from 'node:os'
import { auditContent, verifyAuditTrail } from '../../electron/core/audit/audit-chain'
import { appendAudit, appendLogin, auditRows, listAudit } from '../../electron/core/audit/audit-log'
import { DB_FILE, openDatabase } from '../../electron/core/shared/open-database'
import { freshDb } from '../helpers'

const entry = (i: number) => ({
  at: 1000 + i,
  actorUserId: 1,
  actorName: 'admin',
  procedure: 'units:create',
  affectedIds: [`unit:${i}`],
  result: 'ok',
})

/** Edits the file the way someone with raw file access would: a separate connection, triggers dropped. */
function tamper(file: string, sql: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const raw = new sqlite3.Database(file)
    const drop = ['audit_log', 'login_log']
      .map((t) => `DROP TRIGGER IF EXISTS ${t}_no_update; DROP TRIGGER IF EXISTS ${t}_no_delete;`)
      .join(' ')
    raw.exec(`${drop} ${sql}`, (err) => raw.close(() => (err ? reject(err) : resolve())))
  })
}

/** A data folder with ten audit rows and three login rows, closed; returns its file and a reopen helper. */
async function tenRows() {
  const { db, dataDir } = await freshDb()
  for (let i = 1; i <= 10; i++) await appendAudit(db, entry(i))
  for (const r of ['failure', 'failure', 'success'] as const) await appendLogin(db, 2000, 'admin', r)
  await db.destroy()
  return {
    file: join(dataDir, DB_FILE),
    reopen: async () => {
      const opened = await openDatabase(dataDir)
      return { db: opened.db, check: await verifyAuditTrail(opened.db), close: () => opened.db.destroy() }
    },
  }
}

const problems = (check: Awaited<ReturnType<typeof verifyAuditTrail>>) =>
  check.problems.map((p) => `${p.table}#${p.id}:${p.problem}${p.detail ? `:${p.detail}` : ''}`)

describe('keyed audit chain', () => {
  it('verifies an untouched log across batch boundaries', async () => {
    const { db } = await freshDb()
    for (let i = 1; i <= 30; i++) await appendAudit(db, entry(i))
    await appendLogin(db, 1, 'admin', 'success')
    expect(await verifyAuditTrail(db, 7)).toEqual({ intact: true, checked: 31, problems: [], problemCount: 0 })
  })

  it('an edited row is found even when its hashes are recomputed forward (the chain is keyed); dropped triggers come back', async () => {
    const { file, reopen } = await tenRows()
    // The old, unkeyed chain could be recomputed by anyone: do that for row 4 and every row after it.
    await tamper(file, "UPDATE audit_log SET result = 'FORBIDDEN' WHERE id = 4;")
    const r = await reopen()
    try {
      expect(problems(r.check)).toEqual(['audit_log#4:mac', 'audit_log#11:incident:system:audit-triggers-restored'])
      expect(r.check.intact).toBe(false)
      // The triggers are back: the app's own connection cannot change the log either.
      expect(
        (await r.db('sqlite_master').where('type', 'trigger').whereIn('tbl_name', ['audit_log', 'login_log']).pluck('name')).sort(),
      ).toEqual(['audit_log_no_delete', 'audit_log_no_update', 'login_log_no_delete', 'login_log_no_update'])
      await expect(r.db('audit_log').where('id', 4).update({ result: 'ok' })).rejects.toThrow(/append-only/)
    } finally {
      await r.close()
    }
    const forged = createHash('sha256').update('forged').digest('hex')
    await tamper(file, `UPDATE audit_log SET result = 'ok', hash = '${forged}', mac = '${forged}' WHERE id = 4;`)
    const again = await reopen()
    expect(problems(again.check)).toEqual(expect.arrayContaining(['audit_log#4:mac', 'audit_log#5:mac']))
    await again.close()
  })

  it('a row deleted from the middle breaks the next one; a deleted tail, or the whole log, is seen through the anchor', async () => {
    const { file, reopen } = await tenRows()
    await tamper(file, 'DELETE FROM audit_log WHERE id = 7;')
    let r = await reopen()
    expect(problems(r.check)).toEqual(['audit_log#8:mac', 'audit_log#11:incident:system:audit-triggers-restored'])
    await r.close()

    await tamper(file, 'DELETE FROM audit_log WHERE id >= 9;')
    r = await reopen()
    // Rows 9–11 are gone: the anchor still names row 11; the start logs the cut as an incident.
    const tail = await r.db('audit_log').where('procedure', 'system:audit-tail-missing').first('affected_ids')
    expect(JSON.parse(tail!.affected_ids)).toEqual(['table:audit_log', 'last-anchored:11', 'last-present:8'])
    expect(problems(r.check)).toEqual(
      expect.arrayContaining(['audit_log#8:mac', expect.stringMatching(/incident:system:audit-tail-missing$/)]),
    )
    await r.close()

    await tamper(file, 'DELETE FROM audit_log; DELETE FROM login_log;')
    r = await reopen()
    const found = (await r.db('audit_log').pluck('procedure')) as string[]
    expect(found).toEqual(expect.arrayContaining(['system:audit-tail-missing']))
    const logins = await r.db('audit_log').where('procedure', 'system:audit-tail-missing').pluck('affected_ids')
    expect(logins.some((ids: string) => ids.includes('table:login_log'))).toBe(true)
    await r.close()
  })

  it('every row names its workstation (host and OS account), sealed by the chain; rows from before it stay valid', async () => {
    const { file, reopen } = await tenRows()
    const here = `${hostname()}（${userInfo().username}）`
    let r = await reopen()
    expect(new Set(await r.db('audit_log').pluck('workstation'))).toEqual(new Set([here]))
    expect(new Set(await r.db('login_log').pluck('workstation'))).toEqual(new Set([here]))
    const page = await listAudit(r.db, { page: 1, pageSize: 5, actor: null, procedure: null } as never)
    expect(page.items[0]!.workstation).toBe(here)
    await r.close()
    // Claiming another PC for row 2, or blanking the login row's, breaks the MAC.
    await tamper(
      file,
      "UPDATE audit_log SET workstation = 'OTHER-PC（clerk）' WHERE id = 2; UPDATE login_log SET workstation = NULL WHERE id = 1;",
    )
    r = await reopen()
    expect(problems(r.check)).toEqual(expect.arrayContaining(['audit_log#2:mac', 'login_log#1:mac']))
    await r.close()
  })

  it('a row written before the workstation column (NULL) verifies with the content it was sealed with', async () => {
    const { db } = await freshDb()
    await appendAudit(db, entry(1))
    const row = await db('audit_log').where('id', 1).first()
    // The content of a NULL-workstation row is exactly the older content: its MAC from then still holds.
    expect(auditContent({ ...row!, workstation: null })).toBe(
      JSON.stringify(['audit', row!.at, row!.actor_user_id, row!.actor_name, row!.procedure, row!.affected_ids, row!.result, row!.via]),
    )
    expect(auditContent(row!)).not.toBe(auditContent({ ...row!, workstation: null }))
  })

  it('the login log is chained the same way', async () => {
    const { file, reopen } = await tenRows()
    await tamper(file, "UPDATE login_log SET result = 'success' WHERE id = 1;")
    const r = await reopen()
    expect(problems(r.check)).toEqual(expect.arrayContaining(['login_log#1:mac']))
    await r.close()
  })

  it('a row with damaged JSON is reported, not fatal: listing and verifying go on', async () => {
    const { file, reopen } = await tenRows()
    await tamper(file, "UPDATE audit_log SET affected_ids = '{not json' WHERE id = 3;")
    const r = await reopen()
    try {
      expect(problems(r.check)).toEqual(expect.arrayContaining(['audit_log#3:mac']))
      expect(r.check.checked).toBe(14)
      const page = await listAudit(r.db, { page: 1, pageSize: 50, actor: null, procedure: null } as never)
      expect(page.items.find((i) => i.id === 3)!.affectedIds).toEqual(['{not json'])
    } finally {
      await r.close()
    }
  })
})

describe('audit export stream', () => {
  it('yields every matching row once, newest first, across batch boundaries', async () => {
    const { db } = await freshDb()
    for (let i = 1; i <= 10; i++) await appendAudit(db, { ...entry(i), result: i % 2 ? 'ok' : 'FORBIDDEN' })
    const all: number[] = []
    for await (const e of auditRows(db, { actor: null, procedure: null }, 3)) all.push(e.at)
    expect(all).toEqual([1010, 1009, 1008, 1007, 1006, 1005, 1004, 1003, 1002, 1001])
    const failures: number[] = []
    for await (const e of auditRows(db, { actor: null, procedure: null, result: 'error' }, 2)) failures.push(e.at)
    expect(failures).toEqual([1010, 1008, 1006, 1004, 1002])
  })
})
