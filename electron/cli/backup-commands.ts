// backup create / verify / restore / set-passphrase and db stats: the same core the app's 备份与恢复 page uses.
import { existsSync, readFileSync } from 'node:fs'
import { basename } from 'node:path'
import type { Knex } from 'knex'
import { appendAudit } from '../core/audit/audit-log'
import { backupRejectionText } from '../contract/messages.zh-CN'
import { loadBackupKey, setBackupPassphrase } from '../core/backup/backup-key'
import { createBackup, recordRestore, restoreBackup, tableCounts, verifyBackup } from '../core/backup/backups'
import { noProtector } from '../core/security/key-store'
import { AppError } from '../core/shared/app-error'
import { unlockDataDir, lockDataDir } from '../core/shared/data-dir-lock'
import { openDatabase } from '../core/shared/open-database'
import { startupErrorMessage } from '../main/startup-error'

export const BACKUP_USAGE = `  backup set-passphrase --passphrase-file P [--data-dir DIR]
                                                设置备份口令（文件第一行；与登录密码同样的强度要求）；此后的备份用它加密
  backup create --to FILE.cdbak [--passphrase-file P] [--data-dir DIR]
                                                备份整个数据目录（数据库快照、密钥、扫描件）为一个加密文件；不给口令文件时用已设置的备份口令
  backup verify FILE.cdbak --passphrase-file P [--json]
                                                校验备份文件（口令、每个数据块、内容清单），不写入任何东西；全部通过时退出码为 0
  backup restore FILE.cdbak --passphrase-file P [--data-dir DIR]
                                                从备份恢复：先完整校验，再在旁边解出并检查，最后把现有数据移到“目录名.before-restore-时间”并换上
  db stats [--json] [--data-dir DIR]            各数据表的行数（比较两个数据目录用）`

type Out = { log(line: string): void; error(line: string): void }
type Values = Record<string, string | boolean | undefined>

function passphraseFrom(values: Values): string | null {
  const file = typeof values['passphrase-file'] === 'string' ? values['passphrase-file'] : null
  if (!file) return null
  return readFileSync(file, 'utf8').split(/\r?\n/)[0] ?? ''
}

function explain(err: unknown, out: Out, dataDir: string): number {
  if (!(err instanceof AppError)) throw err
  if (err.code === 'BACKUP_REJECTED') out.error(`备份文件不能使用：${backupRejectionText(err.details ?? {})}`)
  else if (err.code === 'VALIDATION') out.error('备份口令不符合要求：至少 8 位，含大写字母、小写字母、数字、特殊字符中的三类')
  else {
    const { title, body } = startupErrorMessage(err, dataDir)
    out.error(`${title}\n${body}`)
  }
  return 1
}

function auditWith(actor: string) {
  return (db: Knex, procedure: string, affectedIds: string[]) =>
    appendAudit(db, { at: Date.now(), actorUserId: null, actorName: actor, procedure, affectedIds, result: 'ok', via: 'cli' })
}

export async function runBackup(
  command: 'backup' | 'db',
  a: { sub: string | undefined; rest: string[]; values: Values; dataDir: string; osActor: string; app: string },
  out: Out,
  withDb: (fn: (db: Knex) => Promise<number>) => Promise<number>,
): Promise<number> {
  const { sub, rest, values, dataDir } = a
  const json = values.json === true
  const audit = auditWith(a.osActor)
  try {
    if (command === 'db' && sub === 'stats') {
      return await withDb(async (db) => {
        const counts = await tableCounts(db)
        if (json) out.log(JSON.stringify(counts))
        else for (const [t, n] of Object.entries(counts)) out.log(`${t}\t${n}`)
        return 0
      })
    }
    if (command !== 'backup') return 2
    if (sub === 'set-passphrase') {
      const passphrase = passphraseFrom(values)
      if (passphrase === null) {
        out.error('用法：backup set-passphrase --passphrase-file P')
        return 2
      }
      return await withDb(async (db) => {
        const key = await setBackupPassphrase(dataDir, noProtector, passphrase, passphrase, new Date())
        await audit(db, 'cli:backup-set-passphrase', [`backup-key:${key.check.slice(0, 8)}`])
        out.log(`备份口令已设置（${key.setAt}）。请把口令另行妥善保管：没有它，备份无法恢复。`)
        return 0
      })
    }
    if (sub === 'create') {
      const to = typeof values.to === 'string' ? values.to : null
      if (!to) {
        out.error('用法：backup create --to FILE.cdbak [--passphrase-file P]')
        return 2
      }
      const passphrase = passphraseFrom(values)
      return await withDb(async (db) => {
        let key = loadBackupKey(dataDir, noProtector)
        if (passphrase !== null) key = await setBackupPassphrase(dataDir, noProtector, passphrase, passphrase, new Date())
        if (!key) {
          out.error('尚未设置备份口令：请用 --passphrase-file 提供，或先运行 backup set-passphrase')
          return 1
        }
        const r = await createBackup({ db, dataDir, protector: noProtector, key, to, reason: 'manual', app: a.app, now: new Date() })
        await audit(db, 'cli:backup-create', [`file:${basename(to)}`, `size:${r.size}`])
        if (json) out.log(JSON.stringify(r))
        else
          out.log(
            `已备份到 ${r.file}（${(r.size / 1_048_576).toFixed(1)} MB，${Object.values(r.counts).reduce((x, y) => x + y, 0)} 行，${r.attachments} 个扫描件）`,
          )
        return 0
      })
    }
    if (sub === 'verify' || sub === 'restore') {
      const file = rest[0]
      const passphrase = passphraseFrom(values)
      if (!file || passphrase === null) {
        out.error(`用法：backup ${sub} FILE.cdbak --passphrase-file P`)
        return 2
      }
      if (!existsSync(file)) {
        out.error(`找不到备份文件：${file}`)
        return 1
      }
      if (sub === 'verify') {
        const { header, manifest } = await verifyBackup(file, passphrase)
        if (json)
          out.log(
            JSON.stringify({
              valid: true,
              createdAt: header.createdAt,
              orgName: header.installation.orgName,
              counts: manifest.counts,
              attachments: manifest.attachments,
            }),
          )
        else out.log(`备份完好：${header.installation.orgName}，${header.createdAt}，${manifest.attachments} 个扫描件`)
        return 0
      }
      // Nobody else may have the folder open while it is swapped out.
      if (existsSync(dataDir)) lockDataDir(dataDir)
      let summary
      try {
        summary = await restoreBackup({ file, dataDir, passphrase, now: new Date() })
      } finally {
        if (existsSync(dataDir)) unlockDataDir(dataDir)
      }
      const opened = await openDatabase(dataDir)
      try {
        await recordRestore(opened.db, summary, file, a.osActor, Date.now())
        // The passphrase just typed keeps protecting the restored folder's next backups.
        await setBackupPassphrase(dataDir, noProtector, passphrase, passphrase, new Date())
      } finally {
        await opened.db.destroy()
      }
      if (json) out.log(JSON.stringify(summary))
      else out.log(`已从备份（${summary.createdAt}）恢复到 ${dataDir}${summary.previous ? `；原有数据已移到 ${summary.previous}` : ''}`)
      return 0
    }
    out.error(`未知命令 / unknown command: backup ${sub ?? ''}`)
    return 2
  } catch (err) {
    return explain(err, out, dataDir)
  }
}
