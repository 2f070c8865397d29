import { spawn } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { hostname, uptime } from 'node:os'
import { join } from 'node:path'
import { scoreWeights } from '../../electron/core/supervision/supervision-settings'
import { describe, expect, it } from 'vitest'
import { createDb } from '../../db/connection'
import { migrations } from '../../db/migrations'
import { BACKUP_DIR, DB_FILE, openDatabase } from '../../electron/core/shared/open-database'
import { ErrorCode } from '../../electron/contract/errors'
import { AppError } from '../../electron/core/shared/app-error'
import { LOCK_FILE, unlockDataDir } from '../../electron/core/shared/data-dir-lock'
import { startupErrorMessage } from '../../electron/main/startup-error'
import { freshDb, tempDir } from '../helpers'

describe('migration registry', () => {
  it('lists every migration file in the folder, in name order', () => {
    const files = readdirSync(join(__dirname, '../../db/migrations'))
      .filter((f) => /^\d{14}_.+\.ts$/.test(f))
      .map((f) => f.replace(/\.ts$/, ''))
    expect(Object.keys(migrations)).toEqual(files.sort())
  })
})

describe('connection', () => {
  it('runs with WAL, foreign keys and a busy timeout', async () => {
    const { db } = await freshDb()
    expect((await db.raw('PRAGMA journal_mode'))[0].journal_mode).toBe('wal')
    expect((await db.raw('PRAGMA foreign_keys'))[0].foreign_keys).toBe(1)
    expect((await db.raw('PRAGMA busy_timeout'))[0].timeout).toBe(5000)
  })

  it('ships the reference dictionaries, e.g. the 14 处罚类别 of 行政处罚法 art. 9', async () => {
    const { db } = await freshDb()
    const labels = await db('dict_items').where('type_code', 'penalty_category').orderBy('sort_order').pluck('label')
    expect(labels).toHaveLength(14)
    expect(labels).toContain('通报批评')
    expect(await db('dict_items').where('type_code', 'license_category').orderBy('sort_order').pluck('label')).toEqual([
      '普通',
      '特许',
      '认可',
      '核准',
      '登记',
      '其他',
    ])
  })

  it('refuses to change or delete audit and login log rows', async () => {
    const { db } = await freshDb()
    await db('audit_log').insert({ at: 1, procedure: 'x', result: 'ok', prev_hash: '0', hash: '1' })
    await db('login_log').insert({ at: 1, username: 'a', result: 'success' })
    await expect(db('audit_log').update({ result: 'forged' })).rejects.toThrow(/append-only/)
    await expect(db('audit_log').del()).rejects.toThrow(/append-only/)
    await expect(db('login_log').del()).rejects.toThrow(/append-only/)
    expect(await db('audit_log').count({ n: '*' })).toEqual([{ n: 1 }])
  })
})

describe('openDatabase', () => {
  it('creates the file on first start without a backup, and is a no-op the second time', async () => {
    const dir = tempDir()
    const first = await openDatabase(dir)
    expect(first.applied).toEqual(Object.keys(migrations))
    expect(first.backupPath).toBeNull()
    await first.db.destroy()
    const second = await openDatabase(dir)
    expect(second.applied).toEqual([])
    expect(second.backupPath).toBeNull()
    await second.db.destroy()
  })

  it('copies the database aside before running pending migrations', async () => {
    const dir = tempDir()
    const db = createDb(join(dir, DB_FILE))
    await db.migrate.up() // only the first migration: an older app's database
    await db('settings').insert({ key: 'org_name', value: '旧数据' })
    await db.destroy()

    const opened = await openDatabase(dir, new Date('2026-11-22T10:00:00Z'))
    expect(opened.applied).toEqual(Object.keys(migrations).slice(1))
    expect(opened.backupPath).toBe(join(dir, BACKUP_DIR, 'credit-desk-20261122-100000-before-migrate.sqlite'))
    await opened.db.destroy()
    const backup = createDb(opened.backupPath!)
    expect(await backup('settings').pluck('value')).toEqual(['旧数据'])
    expect(await backup('dict_types').count({ n: '*' })).toEqual([{ n: 0 }]) // taken before the migration
    await backup.destroy()
  })

  it('peers that already received records receive cases and commitments after the upgrade; others keep their choice', async () => {
    const dir = tempDir()
    const db = createDb(join(dir, DB_FILE))
    const names = Object.keys(migrations)
    for (let i = 0; i < names.indexOf('20261203090000_credit_lists_and_checks'); i++) await db.migrate.up()
    const peer = (name: string, parts: string[]) => ({
      name,
      suite: 'SM2-SM3-SM4' as const,
      fingerprint: name,
      public_pem: '-',
      imported_at: 0,
      parts: JSON.stringify(parts),
    })
    await db('exchange_peers').insert([peer('city', ['catalog', 'records', 'progress']), peer('archive-office', ['archives'])])
    await db.destroy()
    const opened = await openDatabase(dir)
    try {
      expect(await opened.db('exchange_peers').orderBy('id').pluck('parts')).toEqual([
        JSON.stringify(['catalog', 'records', 'progress', 'credit']),
        JSON.stringify(['archives']),
      ])
    } finally {
      await opened.db.destroy()
      unlockDataDir(dir)
    }
  })

  it('an office that saved its 目标考核 weights before evaluations existed keeps its scoring; its letters keep their units', async () => {
    const dir = tempDir()
    const db = createDb(join(dir, DB_FILE))
    const names = Object.keys(migrations)
    for (let i = 0; i < names.indexOf('20261206090000_supervision_register'); i++) await db.migrate.up()
    await db('settings').insert({ key: 'score_weights', value: JSON.stringify({ onTime: 100, perReturn: 3, perOverdue: 5 }) })
    // A 督办函 issued before letters had recipients: it named its units.
    const [userId] = await db('users').insert({
      username: 'sup',
      display_name: '审核',
      password_hash: '-',
      must_change_password: false,
      disabled: false,
      unit_id: null,
      password_changed_at: 0,
      created_at: 0,
      updated_at: 0,
    })
    const unit = (name: string) => ({
      uid: name,
      parent_id: null,
      name,
      kind: 'county_dept' as const,
      sort_order: 1,
      enabled: true,
      created_at: 0,
      updated_at: 0,
    })
    // Ids of rows inserted here (knex types an insert's result as the table's rows).
    const idOf = (r: unknown[]) => Number(r[0])
    const a = idOf(await db('org_units').insert(unit('县甲局')))
    const bId = idOf(await db('org_units').insert(unit('县乙局')))
    const [planId] = await db('plans').insert({ uid: 'p', title: '要点', year: 2026, created_at: 0 })
    const [taskId] = await db('tasks').insert({
      uid: 't',
      plan_id: planId,
      path: '1',
      number: '1',
      title: '任务',
      section: '',
      source_text: '',
      status: 'assigned',
      sort_order: 0,
      created_at: 0,
    })
    const tuA = idOf(await db('task_units').insert({ task_id: taskId, unit_id: a, role: 'lead', status: 'assigned' }))
    await db('task_units').insert({ task_id: taskId, unit_id: bId, role: 'cooperating', status: 'assigned' })
    const [letterId] = await db('supervision_letters').insert({
      year: 2026,
      seq: 1,
      doc_number: '信用督〔2026〕1号',
      task_id: taskId,
      unit_names: JSON.stringify(['县甲局']),
      new_deadline: '2026-12-31',
      body: '',
      created_by: userId,
      created_at: 0,
    })
    // History with a scan: the table the upgrade rebuilds (task_events) is pointed at by other rows.
    const eventId = idOf(
      await db('task_events').insert({
        task_id: taskId,
        task_unit_id: tuA,
        kind: 'progress',
        text: '过半',
        status: 'done',
        actor_id: userId,
        at: 5,
      }),
    )
    await db('attachments').insert({ digest: 'd'.repeat(64), size: 1, mime: 'application/pdf', created_at: 0 })
    await db('task_event_attachments').insert({ event_id: eventId, digest: 'd'.repeat(64), file_name: '进展.pdf' })
    await db.destroy()
    const opened = await openDatabase(dir)
    try {
      expect(await opened.db('task_events').select('id', 'actor_id', 'text', 'actor_label')).toEqual([
        { id: eventId, actor_id: userId, text: '过半', actor_label: null },
      ])
      expect(await opened.db('task_event_attachments').pluck('event_id')).toEqual([eventId])
      expect(await opened.db.raw('PRAGMA foreign_key_check')).toEqual([])
      expect(await opened.db('tasks').where('id', taskId).first('assigned_at')).toEqual({ assigned_at: null })
      expect(await opened.db('letter_recipients').select('letter_id', 'task_unit_id')).toEqual([{ letter_id: letterId, task_unit_id: tuA }])
      expect(await opened.db('supervision_letters').pluck('level')).toEqual(['letter'])
      expect(await scoreWeights(opened.db)).toEqual({ onTime: 100, evaluation: 0, perReturn: 3, perOverdue: 5 })
    } finally {
      await opened.db.destroy()
      unlockDataDir(dir)
    }
    // A fresh office gets the new defaults, with the evaluation weighed in.
    const fresh = await freshDb()
    expect(await scoreWeights(fresh.db)).toEqual({ onTime: 70, evaluation: 30, perReturn: 2, perOverdue: 5 })
  })

  it('refuses a database written by a newer app, naming the latest backup', async () => {
    const dir = tempDir()
    const opened = await openDatabase(dir)
    await opened.db('knex_migrations').insert({ name: '20991231000000_from_the_future', batch: 9, migration_time: new Date() })
    await opened.db.destroy()
    const err = await openDatabase(dir).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(AppError)
    expect((err as AppError).code).toBe(ErrorCode.DbNewerThanApp)
    // Nothing was changed: the unknown migration is still recorded and nothing ran.
    const db = createDb(join(dir, DB_FILE))
    expect(await db('knex_migrations').pluck('name')).toContain('20991231000000_from_the_future')
    await db.destroy()
    expect(startupErrorMessage(err, dir).title).toBe('数据库版本过新')
  })

  it('refuses a file that is not a database and leaves it untouched', async () => {
    const dir = tempDir()
    const file = join(dir, DB_FILE)
    writeFileSync(file, 'this is not sqlite at all, just text that someone renamed'.repeat(200))
    const err = await openDatabase(dir).catch((e: unknown) => e)
    expect((err as AppError).code).toBe(ErrorCode.DbCorrupt)
    expect(existsSync(file)).toBe(true)
    const msg = startupErrorMessage(err, dir)
    expect(msg.title).toBe('数据库文件已损坏')
    expect(msg.body).toContain(dir)
  })

  it('a damaged page stops every open that may write; a read-only report skips the whole-file check unless a migration is due', async () => {
    const dir = tempDir()
    const first = await openDatabase(dir)
    await first.db.raw('CREATE TABLE filler (id INTEGER PRIMARY KEY, t TEXT)')
    for (let i = 0; i < 50; i++) await first.db('filler').insert({ t: 'x'.repeat(3000) })
    await first.db.raw('PRAGMA wal_checkpoint(TRUNCATE)')
    await first.db.destroy()
    unlockDataDir(dir)
    // Scribble over a page in the middle of the filler table.
    const file = join(dir, DB_FILE)
    const bytes = readFileSync(file)
    const page = Math.floor(bytes.length / 4096) - 10
    bytes.fill(0x5a, page * 4096 + 8, page * 4096 + 4000)
    writeFileSync(file, bytes)
    expect(((await openDatabase(dir).catch((e: unknown) => e)) as AppError).code).toBe(ErrorCode.DbCorrupt)
    unlockDataDir(dir)
    const reading = await openDatabase(dir, new Date(), { readOnly: true })
    expect(await reading.db('knex_migrations').count({ n: '*' })).toEqual([{ n: Object.keys(migrations).length }])
    // With a migration due the open would write: the check runs again.
    await reading
      .db('knex_migrations')
      .where('id', (await reading.db('knex_migrations').max({ m: 'id' }).first())!.m)
      .del()
    await reading.db.destroy()
    unlockDataDir(dir)
    expect(((await openDatabase(dir, new Date(), { readOnly: true }).catch((e: unknown) => e)) as AppError).code).toBe(ErrorCode.DbCorrupt)
  })

  it('refuses an empty (0-byte) database file instead of starting a new installation over it', async () => {
    const dir = tempDir()
    const first = await openDatabase(dir)
    await first.db.destroy()
    const file = join(dir, DB_FILE)
    writeFileSync(file, '')
    const err = await openDatabase(dir).catch((e: unknown) => e)
    expect((err as AppError).code).toBe(ErrorCode.DbCorrupt)
    expect(statSync(file).size).toBe(0)
    expect(startupErrorMessage(err, dir).title).toBe('数据库文件已损坏')
  })

  it('frees a migration lock left by a start that died mid-migration (the folder lock says no one else is migrating)', async () => {
    const dir = tempDir()
    const db = createDb(join(dir, DB_FILE))
    await db.migrate.up()
    await db('knex_migrations_lock').update({ is_locked: 1 })
    await db.destroy()
    const opened = await openDatabase(dir)
    expect(opened.applied).toEqual(Object.keys(migrations).slice(1))
    await opened.db.destroy()
  })

  it('one writer per data folder: a live process holding it is named in Chinese; a dead one is taken over', async () => {
    const dir = tempDir()
    const other = spawn('sleep', ['30'])
    try {
      const since = Date.now() - 1000
      writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ program: 'app', pid: other.pid, host: hostname(), user: 'zhang', since }))
      const err = await openDatabase(dir).catch((e: unknown) => e)
      expect((err as AppError).code).toBe(ErrorCode.DbLocked)
      expect(existsSync(join(dir, DB_FILE))).toBe(false) // nothing was touched
      const msg = startupErrorMessage(err, dir)
      expect(msg.title).toBe('数据库被占用')
      const beijing = new Date(since).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false })
      expect(beijing).toMatch(/^\d{4}\/\d{1,2}\/\d{1,2} \d{2}:\d{2}:\d{2}$/)
      expect(msg.body).toContain(
        `数据目录正被信用通桌面程序使用（计算机 ${hostname()}，用户 zhang，进程号 ${other.pid}，自 ${beijing} 起）`,
      )
    } finally {
      other.kill('SIGKILL')
    }
    await new Promise((resolve) => other.once('exit', resolve))
    // Killed: its lock is stale and this process takes the folder.
    const opened = await openDatabase(dir)
    await opened.db.destroy()
    unlockDataDir(dir)
    // A live pid, but the lock was taken before this machine last booted (a power cut): stale too.
    writeFileSync(
      join(dir, LOCK_FILE),
      JSON.stringify({ program: 'app', pid: process.ppid, host: hostname(), user: 'zhang', since: Date.now() - uptime() * 1000 - 60_000 }),
    )
    const again = await openDatabase(dir)
    await again.db.destroy()
    unlockDataDir(dir)
    // The same, taken after boot: respected.
    writeFileSync(
      join(dir, LOCK_FILE),
      JSON.stringify({ program: 'cli', pid: process.ppid, host: hostname(), user: 'zhang', since: Date.now() }),
    )
    expect(((await openDatabase(dir).catch((e: unknown) => e)) as AppError).code).toBe(ErrorCode.DbLocked)
    rmSync(join(dir, LOCK_FILE))
    const reopened = await openDatabase(dir)
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid, program: 'cli' })
    await reopened.db.destroy()
  })

  it('upgrading drops the birth date beside the masked ID number, also from the backups taken before', async () => {
    const dir = tempDir()
    const db = createDb(join(dir, DB_FILE))
    const names = Object.keys(migrations)
    while (
      (
        await db('knex_migrations')
          .pluck('name')
          .catch(() => [])
      ).length < names.indexOf('20261201100000_sensitive_fields')
    )
      await db.migrate.up()
    await db('org_units').insert({
      id: 1,
      uid: 'unit-1',
      name: '县财政局',
      kind: 'county_dept',
      sort_order: 1,
      enabled: true,
      created_at: 1,
      updated_at: 1,
    })
    await db<Record<string, unknown>>('people').insert({
      uid: 'u1',
      name: '张伟',
      id_sealed: 'f1:x:y:z',
      id_index: 'i1',
      id_masked: '110105********002X',
      sex: 'F',
      birth_date: '1949-12-31',
      unit_id: 1,
      entry_date: '1970-07-01',
      status: 'serving',
      grade: 'trustworthy',
      rules_grade: 'trustworthy',
      grade_source: 'rules',
      created_at: 1,
      updated_at: 1,
    })
    await db.destroy()

    const opened = await openDatabase(dir)
    try {
      expect(opened.applied[0]).toBe('20261201100000_sensitive_fields')
      const columns = (await opened.db.raw("SELECT name FROM pragma_table_info('people')")) as Array<{ name: string }>
      expect(columns.map((c) => c.name)).not.toContain('birth_date')
      expect(await opened.db('people').pluck('name')).toEqual(['张伟'])
      await opened.db.raw('PRAGMA wal_checkpoint(TRUNCATE)')
      expect(readFileSync(join(dir, DB_FILE)).includes(Buffer.from('1949-12-31'))).toBe(false)
    } finally {
      await opened.db.destroy()
    }
    // The backup stays usable by the older app (the column is there, emptied) and no longer holds the date.
    expect(readFileSync(opened.backupPath!).includes(Buffer.from('1949-12-31'))).toBe(false)
    const backup = createDb(opened.backupPath!)
    expect(await backup('people').select('name', 'birth_date')).toEqual([{ name: '张伟', birth_date: '' }])
    await backup.destroy()
  })
})
