// 名单 received from the city in a `lists` package: tables `list_entries` (one row per entry, keyed by the city's id)
// and `list_meta` ({mode: 'full' | 'incremental'}). Every row is checked before any is applied — a code that fails
// its check, an unknown kind, a missing field or a malformed date refuses the whole package, naming the rows. A full
// package is the city's complete list: city entries it no longer carries are taken off (移出) as of today, never
// deleted, so earlier checks keep their meaning.
import type { Knex } from 'knex'
import { ErrorCode } from '../../contract/errors'
import { AppError } from '../shared/app-error'
import type { FieldKeys } from '../security/field-crypto'
import { parseDate } from '../catalog/record-check'
import { identifySubject } from './subject'
import { kindValue, listKindAliases, listKinds, upsertListEntry, type ListEntryInput } from './lists'

/** Said in the 移出原因 of a city entry a full package no longer carries. */
export const DROPPED_BY_FULL_LIST = '市平台全量名单中已不再包含'

function text(v: unknown): string | null {
  return typeof v === 'string' && v.trim() ? v.trim() : null
}

function date(v: unknown): string | null | undefined {
  if (v == null || v === '') return null
  const d = parseDate(v)
  return d ?? undefined
}

export async function applyListPackage(
  trx: Knex.Transaction,
  keys: FieldKeys,
  tables: Record<string, Array<Record<string, unknown>>>,
  packageId: number,
  now: number,
  today: string,
) {
  const mode = tables.list_meta?.[0]?.mode === 'full' ? 'full' : 'incremental'
  const kinds = await listKinds(trx)
  const aliases = await listKindAliases(trx)
  const bad: number[] = []
  const entries: ListEntryInput[] = []
  ;(tables.list_entries ?? []).forEach((r, i) => {
    const who = identifySubject(keys, text(r.subjectName), text(r.subjectCode), today)
    const kind = text(r.kind) ? kindValue(kinds, text(r.kind)!, aliases) : null
    const listedOn = date(r.listedOn)
    const validUntil = date(r.validUntil)
    const removedOn = date(r.removedOn)
    const externalId = text(r.externalId)
    if (
      !who.ok ||
      !text(r.subjectCode) ||
      !kind ||
      !externalId ||
      !text(r.decidedBy) ||
      !text(r.basis) ||
      !listedOn ||
      validUntil === undefined ||
      removedOn === undefined
    )
      return void bad.push(i + 1)
    entries.push({
      subject: who.subject,
      kind,
      decidedBy: text(r.decidedBy)!,
      basis: text(r.basis)!,
      listedOn,
      validUntil,
      removedOn,
      removedReason: text(r.removedReason),
      note: text(r.note),
      externalId,
    })
  })
  if (bad.length)
    throw new AppError(ErrorCode.PackageRejected, 'list rows fail their checks', {
      reason: 'bad_lists',
      rows: bad.slice(0, 20).join('、'),
      count: bad.length,
    })

  const changes = { listAdded: 0, listUpdated: 0, listRemoved: 0 }
  for (const e of entries) {
    // The city's id finds an entry it sent before, even if its 依据 was corrected since.
    const known = await trx('credit_list_entries')
      .where({ external_id: e.externalId!, source: 'city' })
      .first('id', 'subject_key', 'list_kind', 'basis')
    if (known && (known.subject_key !== e.subject.key || known.list_kind !== e.kind || known.basis !== e.basis)) {
      const clash = await trx('credit_list_entries').where({ subject_key: e.subject.key, list_kind: e.kind, basis: e.basis }).first('id')
      if (!clash)
        await trx('credit_list_entries').where('id', known.id).update({ subject_key: e.subject.key, list_kind: e.kind, basis: e.basis })
    }
    const r = await upsertListEntry(trx, keys, e, { source: 'city', createdBy: null, packageId, now })
    changes[r.merged ? 'listUpdated' : 'listAdded']++
  }
  if (mode === 'full') {
    const carried = entries.map((e) => e.externalId!)
    const stale = trx('credit_list_entries').where('source', 'city').whereNull('removed_on')
    for (let i = 0; i < carried.length; i += 500) stale.whereNotIn('external_id', carried.slice(i, i + 500))
    changes.listRemoved = await stale.update({ removed_on: today, removed_reason: DROPPED_BY_FULL_LIST, updated_at: now })
  }
  return changes
}
