#!/usr/bin/env node
// credit-desk command line: the same core as the app, for headless work and offline recovery.
// Commands that touch data open the data folder exactly like the app (backup, guards, migrations).
import { parseArgs } from 'node:util'
import { fieldMessage, importRejectionText, planFileText } from '../contract/messages.zh-CN'
import { clearThrottle, setPassword } from '../core/accounts/auth'
import { findUserByUsername } from '../core/accounts/users-repository'
import { beijingDate, loadStoreContext } from '../core/catalog/record-context'
import { loadFieldKeys, noProtector } from '../core/security/key-store'
import { getSettings, isSetupDone } from '../core/system/settings'
import { setUpDemoOffice } from '../core/demo/demo-office'
import { seedDemo } from '../core/demo/demo-seed'
import { readPlan } from '../core/supervision/plan-text'
import { appendAudit } from '../core/audit/audit-log'
import { verifyAuditTrail } from '../core/audit/audit-chain'
import { checkCode } from '../core/codes/check-code'
import { generatePassword, passwordProblems } from '../core/security/password-policy'
import { AppError } from '../core/shared/app-error'
import { systemClock } from '../core/shared/clock'
import { resolveDataDir } from '../main/data-dir'
import { EXCHANGE_USAGE, runExchange } from './exchange-commands'
import { BACKUP_USAGE, runBackup } from './backup-commands'
import { APP_VERSION } from '../core/shared/app-version'
import { defaultDataDir } from './default-data-dir'
import { cliErrorText, requireInputFile } from './cli-errors'
import { osActor, withDatabase, type Out } from './cli-context'
import { runRecords } from './records-commands'
import { CREDIT_USAGE, runCredit } from './credit-commands'
import { monthlyReport } from '../core/catalog/monthly-report'
import { SUPERVISION_USAGE, runSupervision } from './supervision-commands'

const USAGE = `用法 / usage: credit-desk <command> [options]

  check-code <code>... [--json]                 校验统一社会信用代码 / 身份证号（全部有效时退出码为 0）
  catalog list [--json] [--data-dir DIR]        列出信用信息目录事项（不含已被新版本替代的版本）
  records template --item CODE --out FILE.xlsx  生成目录事项（已生效版本）的 Excel 导入模板
  records import --item CODE FILE [--dry-run] [--valid-only] [--errors OUT.xlsx] [--json]
                                                导入 Excel：默认有任何错误行则全部不导入；--valid-only 只导入正确的行；
                                                --dry-run 只检查不写入；--json 每个错误输出一行 {"row","column","reason"}
  demo seed --records N [--people N] [--seed S] [--json]
                                                生成演示数据：县直部门、行政许可和行政处罚记录（含逾期和公示期满的），
                                                公务员诚信档案（年度考核、个人有关事项报告、表彰、处分），最后输出 JSON 摘要
${CREDIT_USAGE}
  stats monthly --month YYYY-MM [--json]       归集月报：各单位报送数、及时率、合规率、更正、撤回、市平台退回，及排名
  plan parse FILE [--json]                      把工作要点（.txt / .docx / .pdf）分解为督办任务（序号、标题、牵头/责任/配合单位、期限、周期）
${SUPERVISION_USAGE}
${EXCHANGE_USAGE}
${BACKUP_USAGE}
  db migrate [--data-dir DIR] [--create]        备份后升级数据库结构（目录中没有数据库时须加 --create 才新建）
  audit verify [--data-dir DIR] [--json]        校验操作日志和登录日志（带密钥的校验链、末尾锚点、防删改触发器）；
                                                --json 输出 {"intact","checked","problems"}；有异常时退出码为 1
  user reset-password <username> [--password P] [--data-dir DIR]
                                                重置密码并解除锁定（不给 --password 时生成随机临时密码）；
                                                用户下次登录须修改密码。需要能访问数据目录的操作系统权限，会记入审计日志。

数据目录 / data folder: --data-dir DIR，或环境变量 CREDIT_DESK_DATA_DIR，默认 ${defaultDataDir()}`

const COMMANDS_READING_A_FILE = new Set([
  'plan parse',
  'plan import',
  'tasks feedback-import',
  'records import',
  'lists import',
  'package lists',
  'package import',
  'package verify',
  'package open',
  'package receipt',
  'package catalog',
  'package tasks',
  'keys import-peer',
  'backup verify',
  'backup restore',
])

/** Runs one command; whatever stops it is said in Chinese on stderr (exit code 1), never a raw stack. */
export async function main(argv: string[], out: Out = console): Promise<number> {
  try {
    return await run(argv, out)
  } catch (err) {
    out.error(cliErrorText(err))
    return 1
  }
}

async function run(argv: string[], out: Out): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      'data-dir': { type: 'string' },
      password: { type: 'string' },
      item: { type: 'string' },
      out: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      'valid-only': { type: 'boolean', default: false },
      errors: { type: 'string' },
      records: { type: 'string' },
      people: { type: 'string' },
      seed: { type: 'string' },
      name: { type: 'string' },
      suite: { type: 'string' },
      key: { type: 'string' },
      sender: { type: 'string' },
      recipient: { type: 'string' },
      to: { type: 'string' },
      full: { type: 'boolean', default: false },
      include: { type: 'string' },
      'confirm-personal': { type: 'boolean', default: false },
      create: { type: 'boolean', default: false },
      sequence: { type: 'string' },
      org: { type: 'string' },
      region: { type: 'string' },
      uscc: { type: 'string' },
      'passphrase-file': { type: 'string' },
      file: { type: 'string' },
      purpose: { type: 'string' },
      authorisation: { type: 'string' },
      from: { type: 'string' },
      font: { type: 'string' },
      reject: { type: 'string' },
      'id-number': { type: 'string' },
      destination: { type: 'string' },
      unit: { type: 'string' },
      month: { type: 'string' },
      'create-units': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  })
  const [command, sub, ...rest] = positionals
  if (values.help || !command) {
    out.log(USAGE)
    return command ? 0 : 2
  }
  const dataDir = resolveDataDir(values['data-dir'] ? ['--data-dir', values['data-dir']] : [], process.env, defaultDataDir())
  // A file to read that is missing, or is a folder, is said before any work starts.
  if (rest[0] && COMMANDS_READING_A_FILE.has(`${command} ${sub}`)) requireInputFile(rest[0])

  if (command === 'check-code') {
    const codes = [sub, ...rest].filter((c): c is string => c !== undefined)
    if (codes.length === 0) {
      out.error('请提供至少一个代码 / give at least one code')
      return 2
    }
    let allValid = true
    for (const raw of codes) {
      const v = checkCode(raw)
      allValid &&= v.valid
      const reason = fieldMessage(v.reason)
      if (values.json) out.log(JSON.stringify({ code: v.code, kind: v.kind, valid: v.valid, reason }))
      else
        out.log(
          `${v.code}\t${{ uscc: '统一社会信用代码', idcard: '身份证号', unknown: '未知' }[v.kind]}\t${v.valid ? '有效' : '无效'}\t${reason}`,
        )
    }
    return allValid ? 0 : 1
  }

  if (command === 'catalog' || command === 'records') {
    const code = await runRecords(command, sub, rest, values, dataDir, out)
    if (code !== null) return code
  }

  if (command === 'stats' && sub === 'monthly') {
    const month = values.month
    if (!month || !/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) {
      out.error('用法：stats monthly --month YYYY-MM [--json] / give --month YYYY-MM')
      return 2
    }
    return withDatabase(
      dataDir,
      out,
      async ({ db }) => {
        const report = await monthlyReport(db, month)
        if (values.json) {
          out.log(JSON.stringify(report))
          return 0
        }
        const pct = (r: number | null) => (r == null ? '—' : `${(r * 100).toFixed(1)}%`)
        out.log(`${month} 归集月报\n排名\t单位\t报送\t及时\t及时率\t合规\t合规率\t更正\t撤回\t市平台退回`)
        for (const u of [...report.units, { ...report.total, unit: '合计', rank: null }])
          out.log(
            [
              u.rank ?? '—',
              u.unit,
              u.records,
              u.onTime,
              pct(u.onTimeRate),
              u.firstPass,
              pct(u.firstPassRate),
              u.corrected,
              u.withdrawn,
              u.rejected,
            ].join('\t'),
          )
        return 0
      },
      { readOnly: true },
    )
  }

  if (command === 'lists' || command === 'check' || command === 'report') {
    if (values.file) requireInputFile(values.file)
    const code = await runCredit(command, sub, rest, values, dataDir, out)
    if (code !== null) return code
  }

  if (command === 'demo' && sub === 'seed') {
    const records = Number(values.records ?? '0')
    const people = Number(values.people ?? '0')
    if (!Number.isInteger(records) || records < 0 || records > 5_000_000 || !Number.isInteger(people) || people < 0 || people > 100_000) {
      out.error('请用 --records N（0～5000000）和/或 --people N（0～100000）给出数量 / give --records N and/or --people N')
      return 2
    }
    return withDatabase(
      dataDir,
      out,
      async ({ db }) => {
        const today = beijingDate(Date.now())
        // A folder never set up becomes a demo office with one account per role (one-time passwords, printed once).
        const accounts = (await isSetupDone(db)) ? [] : await setUpDemoOffice(db, systemClock, '350102')
        const settings = await getSettings(db)
        const ctx = await loadStoreContext(db, today, await loadFieldKeys(db, dataDir, noProtector))
        const started = Date.now()
        const summary = await seedDemo(db, systemClock, ctx, {
          records,
          people,
          seed: Number(values.seed ?? '1'),
          today,
          regionCode: settings.regionCode || '350102',
        })
        const affectedIds = [
          `records:${summary.records.total}`,
          `people:${summary.people.total}`,
          ...accounts.map((a) => `account:${a.username}`),
        ]
        await appendAudit(db, {
          at: Date.now(),
          actorUserId: null,
          actorName: osActor(),
          procedure: 'cli:demo-seed',
          affectedIds,
          result: 'ok',
          via: 'cli',
        })
        if (!values.json) {
          out.error(
            `已生成 ${summary.records.total} 条记录、${summary.people.total} 份诚信档案（${((Date.now() - started) / 1000).toFixed(1)} 秒），数据目录：${dataDir}`,
          )
          if (accounts.length)
            out.error(
              `已建立演示单位“${settings.orgName}”和账号（一次性密码，首次登录须修改）：\n${accounts.map((a) => `  ${a.username}\t${a.password}`).join('\n')}`,
            )
        }
        out.log(JSON.stringify({ dataDir, ...summary, ...(accounts.length ? { office: settings.orgName, accounts } : {}) }))
        return 0
      },
      { create: true },
    )
  }

  if ((command === 'plan' && sub === 'import') || command === 'tasks') {
    const code = await runSupervision(command, sub, rest, values, dataDir, out)
    if (code !== null) return code
  }

  if (command === 'plan' && sub === 'parse') {
    const file = rest[0]
    if (!file) {
      out.error('请提供文件 / give the plan file (.txt or .docx)')
      return 2
    }
    try {
      const { title: _title, ...plan } = await readPlan(file)
      if (values.json) {
        out.log(JSON.stringify({ ...plan, tasks: plan.tasks.map(({ source: _source, ...t }) => t) }, null, 2))
      } else {
        out.log(`${plan.issuer ?? '（未识别发文机关）'} ${plan.docNumber ?? ''} ${plan.year ?? ''} 年，${plan.tasks.length} 项任务`)
        for (const t of plan.tasks) {
          const roles: Array<[string, string[]]> = [
            ['牵头', t.units.lead],
            ['责任', t.units.responsible],
            ['配合', t.units.cooperating],
          ]
          const units = roles
            .filter(([, u]) => u.length)
            .map(([r, u]) => `${r}：${u.join('、')}`)
            .join('；')
          out.log(
            `${t.path.join('.')}\t${t.title}\t${units || '（无责任单位）'}\t${t.deadline ?? ''}${t.recurring ? `\t${t.recurring}` : ''}`,
          )
        }
      }
      return plan.tasks.length ? 0 : 1
    } catch (err) {
      if (err instanceof AppError && err.code === 'IMPORT_FILE_REJECTED') {
        const reason = (err.details as { reason?: string }).reason
        out.error(
          planFileText(reason) ??
            (reason === 'limit' ? importRejectionText(err.details ?? {}) : '文件已损坏，或不是 .txt / .docx / .pdf 文档'),
        )
        return 1
      }
      throw err
    }
  }

  if (command === 'keys' || command === 'package' || (command === 'archives' && sub === 'transfer-out')) {
    return runExchange(command, { sub, rest, values, dataDir, osActor: osActor() }, out, (fn) =>
      withDatabase(dataDir, out, ({ db }) => fn(db), { office: true }),
    )
  }

  if (command === 'backup' || (command === 'db' && sub === 'stats')) {
    return runBackup(command, { sub, rest, values, dataDir, osActor: osActor(), app: APP_VERSION }, out, (fn) =>
      withDatabase(dataDir, out, ({ db }) => fn(db)),
    )
  }

  if (command === 'db' && sub === 'migrate') {
    return withDatabase(
      dataDir,
      out,
      async ({ db, applied, backupPath }) => {
        if (applied.length) {
          await appendAudit(db, {
            at: systemClock.now(),
            actorUserId: null,
            actorName: osActor(),
            procedure: 'cli:db-migrate',
            affectedIds: applied,
            result: 'ok',
            via: 'cli',
          })
        }
        out.log(applied.length ? `已升级 ${applied.length} 项：${applied.join(', ')}` : '数据库已是最新 / already up to date')
        if (backupPath) out.log(`升级前备份 / backup: ${backupPath}`)
        return 0
      },
      { create: values.create === true },
    )
  }

  if (command === 'audit' && sub === 'verify') {
    return withDatabase(dataDir, out, async ({ db }) => {
      const r = await verifyAuditTrail(db)
      if (values.json) out.log(JSON.stringify({ intact: r.intact, checked: r.checked, problems: r.problems }))
      else {
        out.log(
          r.intact
            ? `日志完整：已校验 ${r.checked} 条 / intact: ${r.checked} rows checked`
            : `发现 ${r.problemCount} 处异常（共校验 ${r.checked} 条） / ${r.problemCount} problems`,
        )
        for (const p of r.problems) out.log(`${p.table}\t${p.id}\t${p.problem}${p.detail ? `\t${p.detail}` : ''}`)
      }
      return r.intact ? 0 : 1
    })
  }

  if (command === 'user' && sub === 'reset-password') {
    const username = rest[0]
    if (!username) {
      out.error('请提供用户名 / give the username')
      return 2
    }
    return withDatabase(dataDir, out, async ({ db }) => {
      const user = await findUserByUsername(db, username)
      if (!user) {
        out.error(`用户不存在 / no such user: ${username}`)
        return 1
      }
      const password = values.password ?? generatePassword()
      const problems = passwordProblems(password, user.username)
      if (problems.length) {
        out.error(problems.map((p) => fieldMessage(p)).join('；'))
        return 1
      }
      await db.transaction(async (trx) => {
        await setPassword(trx, systemClock, user.id, password, true)
        await clearThrottle(trx, user.username)
        await appendAudit(trx, {
          at: systemClock.now(),
          actorUserId: null,
          actorName: osActor(),
          procedure: 'cli:user-reset-password',
          affectedIds: [`user:${user.id}`],
          result: 'ok',
          via: 'cli',
        })
      })
      out.log(`已重置用户 ${user.username} 的密码并解除锁定，下次登录须修改密码。`)
      if (!values.password) out.log(`临时密码 / temporary password: ${password}`)
      return 0
    })
  }

  out.error(`未知命令 / unknown command: ${positionals.join(' ')}\n\n${USAGE}`)
  return 2
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      console.error(err instanceof Error ? err.message : String(err))
      process.exit(1)
    },
  )
}
