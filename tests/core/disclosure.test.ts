import { describe, expect, it } from 'vitest'
import { disclosureStatus, disclosureWindow, loadDisclosureRules } from '../../electron/core/catalog/disclosure'
import { freshDb } from '../helpers'

describe('disclosure periods by regime (rules from the database)', () => {
  it('applies the regime in force on the decision date', async () => {
    const { db } = await freshDb()
    const rules = await loadDisclosureRules(db)
    expect(disclosureWindow(rules, '2021-03-15', 'serious')).toMatchObject({
      repairableFrom: '2021-09-15',
      endsOn: '2024-03-15',
      rule: { basis: '发改办财金〔2019〕527号' },
    })
    expect(disclosureWindow(rules, '2024-03-15', 'general')).toMatchObject({
      repairableFrom: '2024-06-15',
      endsOn: '2027-03-15',
      rule: { effectiveFrom: '2023-05-01' },
    })
    expect(disclosureWindow(rules, '2026-04-01', 'general')).toMatchObject({
      repairableFrom: '2026-07-01',
      endsOn: '2027-04-01',
      rule: { effectiveFrom: '2026-04-01' },
    })
    expect(disclosureWindow(rules, '2026-05-10', 'minor')).toMatchObject({ repairableFrom: '2026-05-10', endsOn: '2026-08-10' })
  })

  it('falls back to 一般 where a regime has no 轻微 grade, and knows nothing before 2019-07-01', async () => {
    const { db } = await freshDb()
    const rules = await loadDisclosureRules(db)
    expect(disclosureWindow(rules, '2020-01-31', 'minor')).toMatchObject({
      rule: { level: 'general' },
      repairableFrom: '2020-04-30',
      endsOn: '2021-01-31',
    })
    expect(disclosureWindow(rules, '2019-06-30', 'general')).toBeNull()
  })

  it('a new regime is a row, not a code change', async () => {
    const { db } = await freshDb()
    await db('disclosure_rules').insert({
      effective_from: '2028-01-01',
      level: 'general',
      min_months: 6,
      max_months: 24,
      basis: '假设的新规定',
    })
    const rules = await loadDisclosureRules(db)
    expect(disclosureWindow(rules, '2028-02-01', 'general')).toMatchObject({ repairableFrom: '2028-08-01', endsOn: '2030-02-01' })
  })

  it('derives 公示中 / 可申请修复 / 已到期 / 已修复', async () => {
    const { db } = await freshDb()
    const w = disclosureWindow(await loadDisclosureRules(db), '2026-05-10', 'general')!
    expect(disclosureStatus(w, '2026-06-01')).toBe('公示中')
    expect(disclosureStatus(w, '2026-08-10')).toBe('可申请修复')
    expect(disclosureStatus(w, '2027-05-10')).toBe('已到期')
    expect(disclosureStatus({ ...w, repairedOn: '2026-08-20' }, '2026-09-01')).toBe('已修复')
  })
})
