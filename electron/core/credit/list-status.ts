// Where a list entry stands on a day: 有效, 已到期 (past 有效期至, which is the last valid day) or 已移出 (from the day
// it was taken off). Written once for one entry and once as SQL over `credit_list_entries as l`, side by side; a test
// holds the two to the same answers.
import type { Knex } from 'knex'
import type { ListStatus } from '../../contract/schemas/credit'

export interface ListDates {
  validUntil: string | null
  removedOn: string | null
}

export function listStatus(d: ListDates, today: string): ListStatus {
  if (d.removedOn && d.removedOn <= today) return 'removed'
  if (d.validUntil && d.validUntil < today) return 'expired'
  return 'active'
}

export function whereListStatus(b: Knex.QueryBuilder, status: ListStatus, today: string): Knex.QueryBuilder {
  const notRemoved = (w: Knex.QueryBuilder) => w.whereNull('l.removed_on').orWhere('l.removed_on', '>', today)
  switch (status) {
    case 'removed':
      return b.where('l.removed_on', '<=', today)
    case 'expired':
      return b.where(notRemoved).where('l.valid_until', '<', today)
    case 'active':
      return b.where(notRemoved).where((w) => w.whereNull('l.valid_until').orWhere('l.valid_until', '>=', today))
  }
}
