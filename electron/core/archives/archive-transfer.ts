// 调动: a civil servant moves to another county and the integrity archive goes along, on the stick like any package.
// The sending office writes an `archive` package addressed to the receiving county's key (the person with the ID
// number in full, every entry with its scans, the grade history, the receiving unit) and marks the person 调离 with the
// destination; the receiving office imports it as a new archive under one of its units, where its own access rules
// apply from then on. Verified whole before anything is written; one transaction on each side.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, extname, join } from 'node:path'
import type { Knex } from 'knex'
import { ErrorCode } from '../../contract/errors'
import { ENTRY_KINDS, GRADES } from '../../contract/schemas/archives'
import { storeAttachment } from '../attachments/attachment-store'
import type { IsoDate } from '../calendar/working-calendar'
import { checkIdCard } from '../codes/idcard'
import { reject, writePackage } from '../exchange/envelope'
import { archiveTransferEntries } from '../exchange/exchange-data'
import { sm3Digest } from '../exchange/gm'
import { currentOwnKey } from '../exchange/keyring'
import { payloadStream } from '../exchange/payload'
import type { ExchangeContext } from '../exchange/packages'
import { suiteOfKeyFile } from '../exchange/suites'
import { maskIdNumber, sealField, type FieldKeys } from '../security/field-crypto'
import { AppError } from '../shared/app-error'
import { getSettings } from '../system/settings'
import { personIdIndex } from './people'

export interface TransferOut {
  idNumber: string
  /** The receiving county's exchange public key (PEM). */
  recipientPem: string
  /** Where the person goes (the receiving county's office), shown here as 调往. */
  destination: string
  /** The receiving county's unit the archive is filed under there. */
  toUnit: string
  path: string
  userId: number | null
  today: IsoDate
  /** Runs inside the transaction that marks the person (the audit row goes here). */
  beforeCommit?: (trx: Knex.Transaction, r: { personId: number; sequence: number }) => Promise<void>
}

export async function exportArchiveTransfer(ctx: ExchangeContext, o: TransferOut) {
  const { db } = ctx
  const id = checkIdCard(o.idNumber)
  const person = id.valid ? await db('people').where('id_index', personIdIndex(ctx.keys, id.normalized)).first() : undefined
  if (!person) throw new AppError(ErrorCode.NotFound, 'no such person')
  if (person.status === 'transferred') throw new AppError(ErrorCode.InvalidState, 'already transferred', { reason: 'already_transferred' })
  const suite = suiteOfKeyFile(o.recipientPem)
  if (!suite) throw new AppError(ErrorCode.KeyFileRejected, 'not a public key', { reason: 'not_public_key' })
  const fingerprint = suite.fingerprint(o.recipientPem)
  const own = await currentOwnKey(db, ctx.keys, ctx.clock, suite.name)
  const office = await getSettings(db)
  const now = ctx.clock.now()
  const taken = await db('exchange_packages')
    .where({ direction: 'out', kind: 'archive', peer_fingerprint: fingerprint })
    .max({ s: 'sequence' })
    .first()
  const sequence = Number(taken?.s ?? 0) + 1
  const counts: Record<string, number> = {}
  const written = await writePackage({
    path: o.path,
    suite,
    kind: 'archive',
    sequence,
    createdAt: new Date(now).toISOString(),
    sender: { orgName: office.orgName, regionCode: office.regionCode, uscc: office.orgCreditCode },
    senderPrivatePem: own.privatePem,
    recipientPublicPem: o.recipientPem,
    payload: payloadStream(
      archiveTransferEntries(
        { db, keys: ctx.keys, dataDir: ctx.dataDir },
        person.id,
        { toUnit: o.toUnit, destination: o.destination },
        counts,
      ),
      { kind: 'archive', counts, attachments: 0 },
    ),
  })
  try {
    await db.transaction(async (trx) => {
      await trx('exchange_packages').insert({
        direction: 'out',
        peer_fingerprint: fingerprint,
        peer_name: o.destination,
        kind: 'archive',
        sequence,
        digest: written.digest,
        file_name: basename(o.path),
        size: written.size,
        full: false,
        counts: JSON.stringify(counts),
        state: 'done',
        created_by: o.userId,
        created_at: now,
      })
      await trx('people')
        .where('id', person.id)
        .update({ status: 'transferred', status_date: o.today, transferred_to: o.destination, updated_at: now })
      await o.beforeCommit?.(trx, { personId: person.id, sequence })
    })
  } catch (err) {
    rmSync(o.path, { force: true }) // not marked here, so not sent: no package may exist for it
    throw err
  }
  return { personId: person.id, name: person.name, sequence, counts, size: written.size, digest: written.digest }
}

/**
 * The receiving side, inside the import's transaction: refuses a person who already has an archive here and a unit
 * this office does not have; each scan must match the SM3 its entry cites and pass the scan checks of a local upload.
 */
export async function applyArchiveTransfer(
  trx: Knex.Transaction,
  ctx: { keys: FieldKeys; dataDir: string },
  tables: Record<string, Array<Record<string, unknown>>>,
  files: Record<string, Uint8Array>,
  userId: number | null,
  now: number,
) {
  const meta = tables.transfer_meta?.[0]
  const people = tables.people ?? []
  if (!meta || people.length !== 1) throw reject('bad_payload')
  const p = people[0]!
  const id = checkIdCard(String(p.idNumber ?? ''))
  if (!id.valid || typeof p.name !== 'string' || typeof p.uid !== 'string') throw reject('bad_payload')
  const index = personIdIndex(ctx.keys, id.normalized)
  if (await trx('people').where('id_index', index).orWhere('uid', p.uid).first('id')) throw reject('archive_exists', { name: p.name })
  const unit = await trx('org_units')
    .where('name', String(meta.toUnit ?? ''))
    .first('id')
  if (!unit) throw reject('unknown_unit', { unit: String(meta.toUnit ?? '') })
  const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null)
  const grade = GRADES.find((g) => g === p.grade)
  if (!grade) throw reject('bad_payload')
  const personId = Number(
    (
      await trx('people').insert({
        uid: p.uid,
        name: p.name,
        id_sealed: sealField(ctx.keys, id.normalized, 'people.id'),
        id_index: index,
        id_masked: maskIdNumber(id.normalized),
        sex: id.sex,
        unit_id: unit.id,
        post: text(p.post),
        rank: text(p.rank),
        political_status: text(p.politicalStatus),
        entry_date: text(p.entryDate) ?? '1900-01-01',
        status: 'serving',
        status_date: null,
        user_id: null,
        grade,
        rules_grade: grade,
        grade_source: p.gradeSource === 'override' ? 'override' : 'rules',
        created_by: userId,
        created_at: now,
        updated_at: now,
      })
    )[0],
  )
  const work = mkdtempSync(join(tmpdir(), 'credit-desk-transfer-'))
  let scans = 0
  try {
    for (const e of tables.archive_entries ?? []) {
      const kind = ENTRY_KINDS.find((k) => k === e.kind)
      if (!kind) throw reject('bad_payload')
      const entryId = Number(
        (
          await trx('archive_entries').insert({
            person_id: personId,
            kind,
            year: typeof e.year === 'number' ? e.year : null,
            result: text(e.result),
            title: String(e.title),
            doc_number: text(e.docNumber),
            doc_date: String(e.docDate),
            issuer: String(e.issuer),
            details: text(e.details),
            effect_until: text(e.effectUntil),
            created_by: userId,
            created_at: typeof e.createdAt === 'number' ? e.createdAt : now,
          })
        )[0],
      )
      const cited: Array<{ fileName?: unknown; sm3?: unknown }> = Array.isArray(e.attachments) ? e.attachments : []
      for (const a of cited) {
        const bytes = files[`attachments/${String(a.sm3)}`]
        if (!bytes || sm3Digest(Buffer.from(bytes)).toString('hex') !== a.sm3) throw reject('bad_payload')
        // Through the same checks as a scan uploaded here (type by extension and content, size).
        const file = join(work, `scan${extname(String(a.fileName)).toLowerCase()}`)
        writeFileSync(file, bytes)
        const stored = await storeAttachment(trx, ctx.keys, ctx.dataDir, file, now)
        await trx('entry_attachments')
          .insert({ entry_id: entryId, digest: stored.digest, file_name: String(a.fileName) })
          .onConflict()
          .ignore()
        scans++
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
  for (const g of tables.grade_history ?? []) {
    const was = GRADES.find((x) => x === g.grade)
    if (!was) throw reject('bad_payload')
    await trx('grade_history').insert({
      person_id: personId,
      grade: was,
      source: g.source === 'override' ? 'override' : 'rules',
      reasons: JSON.stringify(g.reasons ?? []),
      decided_by: null,
      at: typeof g.at === 'number' ? g.at : now,
    })
  }
  return { archivesReceived: 1, entriesReceived: (tables.archive_entries ?? []).length, scansReceived: scans }
}
