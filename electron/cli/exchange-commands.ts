// Transfer packages on the command line: the county's data folder (keys, export, import) and the city's side
// with plain key files (verify, open, receipt, issue tasks) — the same core the app uses.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Knex } from 'knex'
import { ErrorCode } from '../contract/errors'
import { keyFileRejectionText, packageRejectionText } from '../contract/messages.zh-CN'
import { appendAudit } from '../core/audit/audit-log'
import { MAX_SEQUENCE, openPackage, writePackage, type PackageKind } from '../core/exchange/envelope'
import { currentOwnKey, importPeer, recipientPeer, rotateOwnKey } from '../core/exchange/keyring'
import { spokenFingerprint } from '../core/exchange/key-files'
import { exportPackage, importPackage, receiptRows, type RecordRejection } from '../core/exchange/packages'
import { requireInputFile } from './cli-errors'
import { exportArchiveTransfer } from '../core/archives/archive-transfer'
import { beijingDate } from '../core/catalog/record-context'
import { payloadReader, tablesPayload } from '../core/exchange/payload'
import { openIntoFolder } from '../core/exchange/open-into-folder'
import { suiteOf, suiteOfKeyFile, SUITES, type Suite } from '../core/exchange/suites'
import { EXPORT_PARTS, type ExportPart } from '../contract/schemas/exchange'
import { loadFieldKeys, noProtector } from '../core/security/key-store'
import { AppError } from '../core/shared/app-error'
import { systemClock } from '../core/shared/clock'

type Out = { log(line: string): void; error(line: string): void }
type WithDb = (fn: (db: Knex) => Promise<number>) => Promise<number>

export const EXCHANGE_USAGE = `  keys generate --out DIR --name NAME [--suite standard]
                                                生成密钥对：NAME.key.pem（PKCS#8 私钥）和 NAME.pub.pem（SPKI 公钥），默认 SM2
  keys export-public --out FILE.pub.pem [--suite sm|standard] [--data-dir DIR]
                                                导出本单位交换公钥（并显示指纹，供电话核对）；算法默认与已导入的市平台公钥一致，
                                                尚未导入时为国密 SM2（--suite standard 为 X25519/Ed25519）
  keys import-peer FILE.pub.pem --name NAME [--data-dir DIR]  导入对方（市平台）的公钥
  keys rotate [--data-dir DIR]                  更换本单位交换密钥（旧密钥保留，只用于打开旧数据包）
  package export --to FILE [--full] [--include archives] [--confirm-personal] [--data-dir DIR]
                                                导出数据交换包（默认为上次回执以来的增量）。内容按管理员为对方设置的范围；
                                                --include 为本次加入其他部分；含个人信息（完整证件号码）时须加 --confirm-personal
  package import FILE [--create-units] [--data-dir DIR]
                                                导入数据包（市里的任务下发、回执、名单、目录，外县的调动档案包）；任务下发中
                                                有本单位组织机构没有的单位名称时，工作要点留待在程序中审核，加 --create-units 则直接新建
  archives transfer-out --id-number ID --recipient PUB.pem --destination NAME --unit UNIT --to FILE
                                                人员调动：把其诚信档案（含扫描件、等级记录）打包发给接收县，本机标记调离
  package verify FILE --key KEY.pem --sender PUB.pem        验证数据包（完好时退出码为 0）
  package open FILE --key KEY.pem --sender PUB.pem --out DIR  解开数据包：manifest.json、每张表的 NDJSON、附件
  package receipt FILE --key KEY.pem --sender PUB.pem --to RECEIPT [--reject REJECT.json]
                                                为收到的数据包生成回执包；--reject 给出退回的记录
                                                （JSON 数组：[{"recordUid", "code", "reason"}]）
  package tasks PLAN.json --key KEY.pem --recipient PUB.pem --sequence N（1～2147483647） --to FILE [--org NAME --region CODE --uscc CODE]
                                                把工作要点 JSON（plan parse --json 的输出）做成任务下发包
  package catalog ITEMS.json --key KEY.pem --recipient PUB.pem --sequence N --to FILE
                                                把目录事项 JSON 数组（事项字段 + fields 数据项）做成目录更新包
  package lists LISTS.json --key KEY.pem --recipient PUB.pem --sequence N --to FILE [--full]
                                                把名单 JSON 数组（externalId、subjectName、subjectCode、kind、decidedBy、basis、
                                                listedOn、validUntil、removedOn、removedReason、note）做成名单下发包；
                                                --full 表示全量名单（县里不再包含的市下发名单自动移出）`

export interface ExchangeArgs {
  sub: string | undefined
  rest: string[]
  values: Record<string, string | boolean | undefined>
  dataDir: string
  osActor: string
}

const str = (v: string | boolean | undefined) => (typeof v === 'string' ? v : undefined)

function explain(err: unknown, out: Out): number {
  if (err instanceof AppError) {
    const details = (err.details ?? {}) as Record<string, unknown>
    if (err.code === ErrorCode.PackageRejected)
      out.error(`数据包被拒绝：${packageRejectionText(details)}\nrejected: ${packageRejectionText(details, 'en')}`)
    else if (err.code === ErrorCode.KeyFileRejected)
      out.error(`密钥文件无法使用：${keyFileRejectionText(details)}\nkey file rejected: ${keyFileRejectionText(details, 'en')}`)
    else if (err.code === ErrorCode.Conflict && details.reason === 'peer_exists')
      out.error(`${keyFileRejectionText(details)} / ${keyFileRejectionText(details, 'en')}`)
    else if (err.code === ErrorCode.InvalidState && details.reason === 'no_peer')
      out.error('尚未导入市平台公钥：先运行 keys import-peer / import the city platform’s public key first')
    else if (err.code === ErrorCode.InvalidState && details.reason === 'personal_unconfirmed') {
      const rows = Object.entries(details.personal as Record<string, number>)
        .map(([t, n]) => `${TABLE_NAMES[t] ?? t} ${n} 条`)
        .join('，')
      out.error(
        `本次数据包含有个人信息（完整证件号码）：${rows}。确认要交给对方时，加上 --confirm-personal 重新运行 / the package carries personal data; add --confirm-personal to send it`,
      )
    } else if (err.code === ErrorCode.DiskFull) out.error('磁盘空间不足，未生成数据包 / disk full: no package written')
    else out.error(`${CLI_ERRORS[err.code]?.(details) ?? '操作失败'} / ${err.code}: ${err.message}`)
    return 1
  }
  // A file that is not there, a folder where a file should be, no permission: said by main's one translator.
  throw err
}

const TABLE_NAMES: Record<string, string> = {
  records: '含证件号码的归集记录',
  people: '诚信档案人员',
  archive_entries: '诚信档案记录',
  grade_history: '档案等级评定',
}

const CLI_ERRORS: Partial<Record<string, (d: Record<string, unknown>) => string>> = {
  [ErrorCode.KeysMissing]: () => '数据目录中的加密密钥（keys 文件夹）缺失或已损坏，请从备份恢复',
  [ErrorCode.KeysMismatch]: () => 'keys 文件夹中的密钥不属于这个数据库，请恢复与该数据库配套的 keys 文件夹',
  [ErrorCode.KeysUnavailable]: () => '密钥受操作系统账户保护，只能在创建它的账户的桌面程序中使用',
  [ErrorCode.FileWriteFailed]: (d) =>
    d.reason === 'not_empty'
      ? `输出目录已存在且不为空：${String(d.path ?? '')}`
      : d.reason === 'readback'
        ? '写入后读回校验失败（U 盘可能有问题），未生成文件'
        : '写入文件失败',
  [ErrorCode.Validation]: () => '参数不正确',
}

function readKeyFile(path: string | undefined, what: string): string {
  if (!path) throw new AppError(ErrorCode.Validation, `missing --${what}`)
  return readFileSync(path, 'utf8')
}

/** The suite of a PEM pair (private key file given, public derived from it). */
function suiteOfPrivate(privatePem: string): Suite {
  for (const name of SUITES) {
    try {
      suiteOf(name)!.publicFromPrivate(privatePem)
      return suiteOf(name)!
    } catch {
      // another suite
    }
  }
  throw new AppError(ErrorCode.KeyFileRejected, 'not a private key', { reason: 'not_pkcs8' })
}

/** City side: open with its own private key and the county's public key file. */
function cityKeys(keyPem: string, senderPem: string) {
  const suite = suiteOfKeyFile(senderPem)
  if (!suite) throw new AppError(ErrorCode.KeyFileRejected, 'sender', { reason: 'not_public_key' })
  const own = suiteOfPrivate(keyPem)
  return {
    ownKeys: new Map([[own.fingerprint(own.publicFromPrivate(keyPem)), keyPem]]),
    senders: new Map([[suite.fingerprint(senderPem), { publicPem: senderPem, retired: false }]]),
  }
}

/** --sequence: 1 to 2^31 − 1, what every reader's integer holds (a county refuses anything else). */
const validSequence = (n: number) => Number.isInteger(n) && n >= 1 && n <= MAX_SEQUENCE

export async function runExchange(command: 'keys' | 'package' | 'archives', a: ExchangeArgs, out: Out, withDb: WithDb): Promise<number> {
  const { sub, rest, values } = a
  try {
    if (command === 'keys' && sub === 'generate') {
      const dir = str(values.out)
      const name = str(values.name)
      if (!dir || !name || !/^[\w.-]+$/.test(name)) {
        out.error('用法：keys generate --out DIR --name NAME（NAME 只含字母、数字、. _ -）')
        return 2
      }
      const suite = suiteOf(values.suite === 'standard' ? 'X25519-Ed25519-AES256GCM' : 'SM2-SM3-SM4')!
      const pair = suite.generate()
      mkdirSync(dir, { recursive: true })
      writeFileSync(join(dir, `${name}.key.pem`), pair.privatePem, { mode: 0o600, flag: 'wx' })
      writeFileSync(join(dir, `${name}.pub.pem`), pair.publicPem, { flag: 'wx' })
      out.log(
        `已生成 ${join(dir, `${name}.key.pem`)}（私钥，妥善保管）和 ${join(dir, `${name}.pub.pem`)}（公钥）\n指纹 / fingerprint: ${spokenFingerprint(suite.fingerprint(pair.publicPem))}`,
      )
      return 0
    }

    if (command === 'keys' && (sub === 'export-public' || sub === 'import-peer' || sub === 'rotate')) {
      return await withDb(async (db) => {
        const keys = await loadFieldKeys(db, a.dataDir, noProtector)
        if (sub === 'export-public') {
          const target = str(values.out)
          if (!target) {
            out.error('用法：keys export-public --out FILE.pub.pem')
            return 2
          }
          // The suite the city speaks (its key was imported), unless the command says otherwise.
          const peer = await recipientPeer(db).catch(() => null)
          const suite =
            values.suite === 'standard'
              ? 'X25519-Ed25519-AES256GCM'
              : values.suite === 'sm'
                ? 'SM2-SM3-SM4'
                : (peer?.suite ?? 'SM2-SM3-SM4')
          const own = await currentOwnKey(db, keys, systemClock, suite)
          writeFileSync(target, own.publicPem)
          out.log(`已导出本单位交换公钥到 ${target}\n指纹 / fingerprint: ${spokenFingerprint(own.fingerprint)}`)
          return 0
        }
        if (sub === 'rotate') {
          const own = await rotateOwnKey(db, keys, systemClock)
          await appendAudit(db, {
            at: Date.now(),
            actorUserId: null,
            actorName: a.osActor,
            procedure: 'cli:keys-rotate',
            affectedIds: [`key:${own.fingerprint.slice(0, 16)}`],
            result: 'ok',
            via: 'cli',
          })
          out.log(
            `已更换交换密钥，新指纹 / new fingerprint: ${spokenFingerprint(own.fingerprint)}\n请把新公钥（keys export-public）交给市平台。`,
          )
          return 0
        }
        const file = rest[0]
        const name = str(values.name)
        if (!file || !name) {
          out.error('用法：keys import-peer FILE.pub.pem --name NAME')
          return 2
        }
        const peer = await importPeer(db, systemClock, { name, pemText: readFileSync(file, 'utf8') }, null)
        await appendAudit(db, {
          at: Date.now(),
          actorUserId: null,
          actorName: a.osActor,
          procedure: 'cli:keys-import-peer',
          affectedIds: [`peer:${peer.id}`],
          result: 'ok',
          via: 'cli',
        })
        out.log(`已导入“${name}”的公钥（${peer.suite}）\n指纹 / fingerprint: ${peer.spoken}\n请与对方电话核对指纹。`)
        return 0
      })
    }

    if (command === 'archives' && sub === 'transfer-out') {
      const [to, recipient, destination, unit, idNumber] = [
        values.to,
        values.recipient,
        values.destination,
        values.unit,
        values['id-number'],
      ].map(str)
      if (!to || !recipient || !destination || !unit || !idNumber) {
        out.error(
          '用法：archives transfer-out --id-number 身份证号 --recipient 接收方公钥.pem --destination 调往单位 --unit 接收方单位名称 --to FILE',
        )
        return 2
      }
      requireInputFile(recipient)
      return await withDb(async (db) => {
        const keys = await loadFieldKeys(db, a.dataDir, noProtector)
        const r = await exportArchiveTransfer(
          { db, keys, dataDir: a.dataDir, clock: systemClock },
          {
            idNumber,
            recipientPem: readFileSync(recipient, 'utf8'),
            destination,
            toUnit: unit,
            path: to,
            userId: null,
            today: beijingDate(Date.now()),
            beforeCommit: (trx, t) =>
              appendAudit(trx, {
                at: Date.now(),
                actorUserId: null,
                actorName: a.osActor,
                procedure: 'cli:archives-transfer-out',
                result: 'ok',
                via: 'cli',
                affectedIds: [`person:${t.personId}`, `archive-transfer:${t.sequence}`, `destination:${destination}`],
              }),
          },
        )
        out.log(
          `已生成“${r.name}”的调动档案包 ${to}（${r.counts.archive_entries ?? 0} 条档案记录，序号 ${r.sequence}），本机已标记为调离（调往 ${destination}）`,
        )
        if (values.json) out.log(JSON.stringify({ file: to, sequence: r.sequence, digest: r.digest, counts: r.counts }))
        return 0
      })
    }

    if (command === 'package' && (sub === 'export' || sub === 'import')) {
      return await withDb(async (db) => {
        const keys = await loadFieldKeys(db, a.dataDir, noProtector)
        const ctx = { db, keys, dataDir: a.dataDir, clock: systemClock }
        if (sub === 'export') {
          const to = str(values.to)
          if (!to) {
            out.error('用法：package export --to FILE [--full] [--include archives] [--confirm-personal]')
            return 2
          }
          const include = (str(values.include) ?? '')
            .split(',')
            .map((p) => p.trim())
            .filter(Boolean)
          const unknown = include.filter((p) => !(EXPORT_PARTS as readonly string[]).includes(p))
          if (unknown.length) {
            out.error(`--include 只能是 ${EXPORT_PARTS.join(', ')} / unknown part: ${unknown.join(', ')}`)
            return 2
          }
          const r = await exportPackage(ctx, {
            path: to,
            full: values.full === true,
            userId: null,
            include: include as ExportPart[],
            confirmPersonal: values['confirm-personal'] === true,
          })
          await appendAudit(db, {
            at: Date.now(),
            actorUserId: null,
            actorName: a.osActor,
            procedure: 'cli:package-export',
            result: 'ok',
            via: 'cli',
            affectedIds: [
              `package:${r.id}`,
              `sequence:${r.sequence}`,
              `parts:${r.parts.join(',')}`,
              ...Object.entries(r.personal).map(([t, n]) => `personal:${t}=${n}`),
            ],
          })
          out.log(
            JSON.stringify({ file: to, sequence: r.sequence, digest: r.digest, size: r.size, counts: r.counts, recipient: r.peerName }),
          )
          return 0
        }
        const file = rest[0]
        if (!file) {
          out.error('用法：package import FILE')
          return 2
        }
        const r = await importPackage(ctx, { path: file, userId: null, createUnits: !!a.values['create-units'] })
        await appendAudit(db, {
          at: Date.now(),
          actorUserId: null,
          actorName: a.osActor,
          procedure: 'cli:package-import',
          affectedIds: [`sequence:${r.sequence}`, `kind:${r.kind}`],
          result: 'ok',
          via: 'cli',
        })
        out.log(JSON.stringify(r))
        return 0
      })
    }

    if (command === 'package' && (sub === 'verify' || sub === 'open' || sub === 'receipt')) {
      const file = rest[0]
      if (!file) {
        out.error(`用法：package ${sub} FILE --key KEY.pem --sender PUB.pem`)
        return 2
      }
      const keyPem = readKeyFile(str(values.key), 'key')
      const senderPem = readKeyFile(str(values.sender), 'sender')
      const keys = cityKeys(keyPem, senderPem)
      if (sub === 'verify') {
        const r = await openPackage(file, keys)
        out.log(
          `数据包完好 / package verified: ${r.header.kind} #${r.header.sequence}，${r.chunks} 块，发送方 ${r.header.sender.orgName}（${r.header.sender.regionCode}，${r.header.sender.uscc}），摘要 ${r.digest}`,
        )
        return 0
      }
      if (sub === 'open') {
        const dir = str(values.out)
        if (!dir) {
          out.error('用法：package open FILE --key KEY.pem --sender PUB.pem --out DIR')
          return 2
        }
        const { header, files } = await openIntoFolder(file, keys, dir)
        out.log(`已解开 ${files} 个文件到 ${dir}（${header.kind} #${header.sequence}，发送方 ${header.sender.orgName}）`)
        return 0
      }
      const to = str(values.to)
      if (!to) {
        out.error('用法：package receipt FILE --key KEY.pem --sender PUB.pem --to RECEIPT [--reject REJECT.json]')
        return 2
      }
      const rejections = str(values.reject) ? readRejections(str(values.reject)!) : []
      if (typeof rejections === 'string') {
        out.error(rejections)
        return 2
      }
      let manifestCounts: Record<string, number> = {}
      const carried = new Set<string>()
      const reader = payloadReader(
        (name, data) => {
          if (name === 'manifest.json') manifestCounts = (JSON.parse(data.toString('utf8')) as { counts: Record<string, number> }).counts
          else if (name.startsWith('tables/records/'))
            for (const line of data.toString('utf8').split('\n')) if (line) carried.add(String(JSON.parse(line).uid))
        },
        { scans: async () => null }, // a receipt needs the rows, not the scans: they are not decrypted
      )
      const r = await openPackage(file, keys, (plain) => reader.write(plain))
      await reader.end()
      // The city can only send back what it received.
      const foreign = rejections.filter((x) => !carried.has(x.recordUid)).map((x) => x.recordUid)
      if (foreign.length) {
        out.error(`退回清单中有 ${foreign.length} 条记录不在这个数据包里：${foreign.slice(0, 5).join('、')}`)
        return 2
      }
      const suite = suiteOf(r.header.suite)!
      const tables = { receipts: receiptRows(r.header, r.digest, manifestCounts, new Date().toISOString(), rejections) }
      await writePackage({
        path: to,
        suite,
        kind: 'receipt',
        sequence: r.header.sequence,
        createdAt: new Date().toISOString(),
        sender: { orgName: str(values.org) ?? '市社会信用信息平台', regionCode: str(values.region) ?? '', uscc: str(values.uscc) ?? '' },
        senderPrivatePem: keyPem,
        recipientPublicPem: senderPem,
        payload: tablesPayload('receipt', tables),
      })
      out.log(
        `已生成回执 ${to}（确认 ${r.header.sender.orgName} 的数据包 #${r.header.sequence}${rejections.length ? `，退回 ${rejections.length} 条记录` : ''}）`,
      )
      return 0
    }

    if (command === 'package' && sub === 'catalog') {
      const itemsFile = rest[0]
      const to = str(values.to)
      const sequence = Number(str(values.sequence))
      if (!itemsFile || !to || !validSequence(sequence)) {
        out.error(`用法：package catalog ITEMS.json --key KEY.pem --recipient PUB.pem --sequence N（1～${MAX_SEQUENCE}） --to FILE`)
        return 2
      }
      const keyPem = readKeyFile(str(values.key), 'key')
      const recipientPem = readKeyFile(str(values.recipient), 'recipient')
      const items = JSON.parse(readFileSync(itemsFile, 'utf8')) as Array<Record<string, unknown>>
      await writePackage({
        path: to,
        suite: suiteOfPrivate(keyPem),
        kind: 'catalog',
        sequence,
        createdAt: new Date().toISOString(),
        sender: {
          orgName: str(values.org) ?? '市社会信用体系建设领导小组办公室',
          regionCode: str(values.region) ?? '',
          uscc: str(values.uscc) ?? '',
        },
        senderPrivatePem: keyPem,
        recipientPublicPem: recipientPem,
        payload: tablesPayload('catalog', { catalog_items: items }),
      })
      out.log(`已生成目录更新包 ${to}：${items.length} 个目录事项，序号 ${sequence}`)
      return 0
    }

    if (command === 'package' && sub === 'lists') {
      const listsFile = rest[0]
      const to = str(values.to)
      const sequence = Number(str(values.sequence))
      if (!listsFile || !to || !validSequence(sequence)) {
        out.error(`用法：package lists LISTS.json --key KEY.pem --recipient PUB.pem --sequence N（1～${MAX_SEQUENCE}） --to FILE [--full]`)
        return 2
      }
      const keyPem = readKeyFile(str(values.key), 'key')
      const recipientPem = readKeyFile(str(values.recipient), 'recipient')
      const entries = JSON.parse(readFileSync(listsFile, 'utf8')) as Array<Record<string, unknown>>
      if (!Array.isArray(entries)) {
        out.error('名单文件应是 JSON 数组 / the lists file must be a JSON array')
        return 2
      }
      await writePackage({
        path: to,
        suite: suiteOfPrivate(keyPem),
        kind: 'lists',
        sequence,
        createdAt: new Date().toISOString(),
        sender: { orgName: str(values.org) ?? '市社会信用信息平台', regionCode: str(values.region) ?? '', uscc: str(values.uscc) ?? '' },
        senderPrivatePem: keyPem,
        recipientPublicPem: recipientPem,
        payload: tablesPayload('lists', { list_meta: [{ mode: values.full ? 'full' : 'incremental' }], list_entries: entries }),
      })
      out.log(`已生成名单下发包 ${to}：${entries.length} 条名单（${values.full ? '全量' : '增量'}），序号 ${sequence}`)
      return 0
    }

    if (command === 'package' && sub === 'tasks') {
      const planFile = rest[0]
      const to = str(values.to)
      const sequence = Number(str(values.sequence))
      if (!planFile || !to || !validSequence(sequence)) {
        out.error(`用法：package tasks PLAN.json --key KEY.pem --recipient PUB.pem --sequence N（1～${MAX_SEQUENCE}） --to FILE`)
        return 2
      }
      const keyPem = readKeyFile(str(values.key), 'key')
      const recipientPem = readKeyFile(str(values.recipient), 'recipient')
      const plan = JSON.parse(readFileSync(planFile, 'utf8')) as {
        title?: string
        issuer: string | null
        docNumber: string | null
        year: number
        tasks: Array<Record<string, unknown> & { path: string[] }>
      }
      const planId = plan.docNumber ?? `${plan.issuer ?? 'plan'}-${plan.year}`
      const tables = {
        plans: [
          {
            externalId: planId,
            title: plan.title ?? `${plan.issuer ?? ''}${plan.year}年社会信用体系建设工作要点`,
            issuer: plan.issuer,
            docNumber: plan.docNumber,
            year: plan.year,
          },
        ],
        tasks: plan.tasks.map((t) => ({ ...t, externalId: `${planId}#${t.path.join('.')}`, planExternalId: planId })),
      }
      const suite = suiteOfPrivate(keyPem)
      await writePackage({
        path: to,
        suite,
        kind: 'tasks' as PackageKind,
        sequence,
        createdAt: new Date().toISOString(),
        sender: {
          orgName: str(values.org) ?? plan.issuer ?? '市社会信用体系建设领导小组办公室',
          regionCode: str(values.region) ?? '',
          uscc: str(values.uscc) ?? '',
        },
        senderPrivatePem: keyPem,
        recipientPublicPem: recipientPem,
        payload: tablesPayload('tasks', tables),
      })
      out.log(`已生成任务下发包 ${to}：${tables.tasks.length} 项任务，序号 ${sequence}`)
      return 0
    }
  } catch (err) {
    return explain(err, out)
  }
  out.error(`未知命令 / unknown command: ${command} ${sub ?? ''}\n${EXCHANGE_USAGE}`)
  return 2
}

/** The city's list of records sent back: a JSON array of { recordUid, code, reason }; a message when it is not. */
function readRejections(path: string): RecordRejection[] | string {
  let parsed: unknown
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'))
  } catch {
    return `退回清单 ${path} 不是 JSON 文件`
  }
  if (!Array.isArray(parsed)) return '退回清单应为 JSON 数组：[{"recordUid": "…", "code": "…", "reason": "…"}]'
  const bad = parsed.findIndex(
    (x: Record<string, unknown>) =>
      typeof x?.recordUid !== 'string' || typeof x.code !== 'string' || typeof x.reason !== 'string' || !x.reason,
  )
  if (bad >= 0) return `退回清单第 ${bad + 1} 项缺少 recordUid、code 或 reason`
  return parsed.map((x: Record<string, string>) => ({ recordUid: x.recordUid!, code: x.code!, reason: x.reason! }))
}
