import type { Knex } from 'knex'
import { officeCalendar } from '../calendar/holiday-table'
import type { IsoDate } from '../calendar/working-calendar'
import type { FieldKeys } from '../security/field-crypto'
import { loadCheckDicts } from '../system/dictionaries'
import { loadDisclosureRules } from './disclosure'
import type { PreviewContext } from './record-import'
import type { StoreContext } from './records'

/** Today in Beijing, whatever the PC's time zone: report dates are Chinese office dates. */
export function beijingDate(nowMs: number): IsoDate {
  return new Date(nowMs + 8 * 3600_000).toISOString().slice(0, 10)
}

/** What checking records needs: dictionaries, the office calendar, today (= the reporting date). */
export async function loadPreviewContext(db: Knex, today: IsoDate): Promise<PreviewContext> {
  return { today, reportedOn: today, ...(await loadCheckDicts(db)), calendar: await officeCalendar(db) }
}

/** What storing records needs beyond checking: the field keys and the disclosure rules. */
export async function loadStoreContext(db: Knex, today: IsoDate, keys: FieldKeys): Promise<StoreContext> {
  return { ...(await loadPreviewContext(db, today)), keys, disclosureRules: await loadDisclosureRules(db) }
}
