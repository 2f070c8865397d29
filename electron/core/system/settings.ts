import type { Knex } from 'knex'
import type { FieldIssue } from '../../contract/errors'
import type { Settings, SettingsUpdate } from '../../contract/schemas/settings'
import { checkCountyRegionCode } from '../codes/region-code'
import { checkUscc } from '../codes/uscc'
import { fieldError } from '../shared/app-error'

export const DEFAULT_IDLE_LOCK_MINUTES = 15

const KEYS = {
  orgName: 'org_name',
  regionCode: 'region_code',
  orgCreditCode: 'org_credit_code',
  idleLockMinutes: 'idle_lock_minutes',
  setupCompletedAt: 'setup_completed_at',
} as const

async function readAll(db: Knex): Promise<Record<string, string>> {
  const rows = (await db('settings').select('key', 'value')) as Array<{ key: string; value: string }>
  return Object.fromEntries(rows.map((r) => [r.key, r.value]))
}

async function write(db: Knex, values: Record<string, string>): Promise<void> {
  for (const [key, value] of Object.entries(values)) {
    await db('settings').insert({ key, value }).onConflict('key').merge()
  }
}

export async function isSetupDone(db: Knex): Promise<boolean> {
  return (await db('settings').where('key', KEYS.setupCompletedAt).first('key')) !== undefined
}

export async function getSettings(db: Knex): Promise<Settings> {
  const s = await readAll(db)
  return {
    orgName: s[KEYS.orgName] ?? '',
    regionCode: s[KEYS.regionCode] ?? '',
    orgCreditCode: s[KEYS.orgCreditCode] ?? '',
    idleLockMinutes: Number(s[KEYS.idleLockMinutes] ?? DEFAULT_IDLE_LOCK_MINUTES),
  }
}

export async function getIdleLockMinutes(db: Knex): Promise<number> {
  const row = await db('settings').where('key', KEYS.idleLockMinutes).first('value')
  return Number(row?.value ?? DEFAULT_IDLE_LOCK_MINUTES)
}

/** Field issues for the office's identity: a county-level region code and a valid USCC. */
export function officeIdentityIssues(regionCode: string, orgCreditCode: string): FieldIssue[] {
  const issues: FieldIssue[] = []
  const region = checkCountyRegionCode(regionCode)
  if (region) issues.push({ path: 'regionCode', message: region })
  const uscc = checkUscc(orgCreditCode)
  if (!uscc.valid) issues.push({ path: 'orgCreditCode', message: uscc.reason })
  return issues
}

export async function saveOfficeSettings(db: Knex, input: SettingsUpdate): Promise<void> {
  const issues = officeIdentityIssues(input.regionCode, input.orgCreditCode)
  if (issues.length) throw fieldError(issues)
  await write(db, {
    [KEYS.orgName]: input.orgName,
    [KEYS.regionCode]: input.regionCode.normalize('NFKC').trim(),
    [KEYS.orgCreditCode]: checkUscc(input.orgCreditCode).normalized,
    [KEYS.idleLockMinutes]: String(input.idleLockMinutes),
  })
}

export async function markSetupDone(db: Knex, at: number): Promise<void> {
  await write(db, { [KEYS.setupCompletedAt]: String(at) })
}
