import { join } from 'node:path'
import sqlite3 from 'sqlite3'
import { describe, expect, it } from 'vitest'
import { appendAudit, auditRows, verifyAuditChain } from '../../electron/core/audit/audit-log'
import { DB_FILE } from '../../electron/core/shared/open-database'
import { freshDb } from '../helpers'

const entry = (i: number) => ({ at: 1000 + i, actorUserId: 1, actorName: 'admin', procedure: 'units:create', affectedIds: [`unit:${i}`], result: 'ok' })

/** Edits the file the way someone with raw file access would: a separate connection, triggers dropped. */
function tamper(file: string, sql: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const raw = new sqlite3.Database(file)
    raw.exec(`DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete; ${sql}`, (err) => raw.close(() => (err ? reject(err) : resolve())))
  })
}

describe('audit hash chain', () => {
  it('verifies an untouched log', async () => {
    const { db } = await freshDb()
    for (let i = 1; i <= 30; i++) await appendAudit(db, entry(i))
    expect(await verifyAuditChain(db, 7)).toEqual({ intact: true, checked: 30, firstBrokenId: null })
  })

  it('finds an edited row and a deleted row made outside the app', async () => {
    const { db, dataDir } = await freshDb()
    for (let i = 1; i <= 10; i++) await appendAudit(db, entry(i))
    await db.destroy() // release the file, as the app would be closed
    const file = join(dataDir, DB_FILE)
    await tamper(file, "UPDATE audit_log SET result = 'FORBIDDEN' WHERE id = 4;")
    const { openDatabase } = await import('../../electron/core/shared/open-database')
    let reopened = await openDatabase(dataDir)
    expect(await verifyAuditChain(reopened.db)).toEqual({ intact: false, checked: 3, firstBrokenId: 4 })
    await reopened.db.destroy()

    await tamper(file, "UPDATE audit_log SET result = 'ok' WHERE id = 4; DELETE FROM audit_log WHERE id = 7;")
    reopened = await openDatabase(dataDir)
    expect(await verifyAuditChain(reopened.db)).toEqual({ intact: false, checked: 6, firstBrokenId: 8 })
    await reopened.db.destroy()
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
