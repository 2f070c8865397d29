// The 公示期限 rule editor through the router: who may change rules, which rules are fixed, and that every change
// re-works the windows of exactly the records it governs.
import { describe, expect, it } from 'vitest'
import type { DisclosureRuleView } from '../../electron/contract/schemas/records'
import { adminSession, errorOf, expectOk, freshBackend, userSession, PENALTY } from '../helpers'

async function setup() {
  const b = await freshBackend()
  const admin = await adminSession(b)
  const clerk = await userSession(b, admin, 'clerk1', ['clerk'])
  const supervisor = await userSession(b, admin, 'super1', ['supervisor'])
  const record = async (n: number, decided: string, level: string | null) =>
    (
      expectOk(
        await clerk('records:create', {
          itemCode: 'SGS_CF',
          values: { ...PENALTY, CF_WSH: `罚〔2026〕${n}号`, CF_JDRQ: decided, CF_YXQ: '2027-12-31', SXDJ: level },
        }),
      ) as { id: number }
    ).id
  const windowOf = async (id: number) => b.db('records').where('id', id).first('repairable_from', 'disclosure_ends_on')
  return { b, clerk, supervisor, record, windowOf }
}

const RULE = {
  effectiveFrom: '2026-11-01',
  level: 'serious',
  minMonths: 6,
  maxMonths: 24,
  basis: '某省发改委〔2026〕8号',
  note: '省级规定',
}

describe('公示期限 rules', () => {
  it('lists the shipped national rules as such, to clerks and supervisors', async () => {
    const { clerk } = await setup()
    const rules = expectOk(await clerk('disclosure:rules', {})) as DisclosureRuleView[]
    expect(rules).toHaveLength(7)
    expect(rules.every((r) => r.shipped)).toBe(true)
    expect(rules.slice(0, 3).map((r) => [r.effectiveFrom, r.level])).toEqual([
      ['2026-04-01', 'minor'],
      ['2026-04-01', 'general'],
      ['2026-04-01', 'serious'],
    ])
    expect(rules[0]!.basis).toContain('信用修复管理办法')
  })

  it('a supervisor’s rule for 严重 from its effective date re-works those records only; removing it restores them; audited', async () => {
    const { b, supervisor, record, windowOf } = await setup()
    const before = await record(1, '2026-10-20', '严重')
    const after = await record(2, '2026-11-18', '严重')
    const general = await record(3, '2026-11-18', '一般')
    const change = expectOk(await supervisor('disclosure:save-rule', RULE)) as { id: number; recomputed: number }
    expect(change.recomputed).toBe(2) // the two records decided on or after 1 November
    expect(await windowOf(after)).toEqual({ repairable_from: '2027-05-18', disclosure_ends_on: '2028-11-18' })
    expect(await windowOf(before)).toEqual({ repairable_from: '2027-10-20', disclosure_ends_on: '2029-10-20' }) // 2026 national 12–36
    expect(await windowOf(general)).toEqual({ repairable_from: '2027-02-18', disclosure_ends_on: '2027-11-18' })
    // A record entered later follows the rule too.
    expect(await windowOf(await record(4, '2026-11-20', '严重'))).toEqual({
      repairable_from: '2027-05-20',
      disclosure_ends_on: '2028-11-20',
    })
    const audit = await b.db('audit_log').where('procedure', 'disclosure:save-rule').first()
    expect(audit).toMatchObject({ result: 'ok', actor_name: 'super1' })
    expect(JSON.parse(audit!.affected_ids)).toEqual([`disclosure-rule:${change.id}`, 'records-recomputed:2'])

    // Corrected: the window follows the correction.
    expectOk(await supervisor('disclosure:save-rule', { ...RULE, id: change.id, minMonths: 3 }))
    expect(await windowOf(after)).toEqual({ repairable_from: '2027-02-18', disclosure_ends_on: '2028-11-18' })
    const rules = expectOk(await supervisor('disclosure:rules', {})) as DisclosureRuleView[]
    expect(rules.find((r) => r.id === change.id)).toMatchObject({ shipped: false, updatedBy: expect.any(String), note: '省级规定' })

    expectOk(await supervisor('disclosure:remove-rule', { id: change.id }))
    expect(await windowOf(after)).toEqual({ repairable_from: '2027-11-18', disclosure_ends_on: '2029-11-18' })
  })

  it('moving a rule’s date later re-works the records it no longer governs', async () => {
    const { supervisor, record, windowOf } = await setup()
    const id = await record(5, '2026-11-10', '严重')
    const { id: ruleId } = expectOk(await supervisor('disclosure:save-rule', RULE)) as { id: number }
    expect(await windowOf(id)).toEqual({ repairable_from: '2027-05-10', disclosure_ends_on: '2028-11-10' })
    expectOk(await supervisor('disclosure:save-rule', { ...RULE, id: ruleId, effectiveFrom: '2026-11-15' }))
    expect(await windowOf(id)).toEqual({ repairable_from: '2027-11-10', disclosure_ends_on: '2029-11-10' })
  })

  it('refuses to change a shipped rule, a second rule for the same date and level, and a minimum above the maximum', async () => {
    const { b, clerk, supervisor } = await setup()
    const shipped = (expectOk(await supervisor('disclosure:rules', {})) as DisclosureRuleView[])[0]!
    const edit = errorOf(await supervisor('disclosure:save-rule', { ...RULE, id: shipped.id }))
    expect(edit).toMatchObject({ code: 'INVALID_STATE', details: { reason: 'shipped_rule' } })
    expect(errorOf(await supervisor('disclosure:remove-rule', { id: shipped.id }))).toMatchObject({ details: { reason: 'shipped_rule' } })
    const dup = errorOf(await supervisor('disclosure:save-rule', { ...RULE, effectiveFrom: '2026-04-01' }))
    expect(dup.details!.fields).toEqual([{ path: 'effectiveFrom', message: 'disclosure.duplicate' }])
    const inverted = errorOf(await supervisor('disclosure:save-rule', { ...RULE, minMonths: 30 }))
    expect(inverted.details!.fields).toEqual([{ path: 'minMonths', message: 'disclosure.minAboveMax' }])
    expect(errorOf(await clerk('disclosure:save-rule', RULE)).code).toBe('FORBIDDEN')
    expect(await b.db('disclosure_rules').count({ n: '*' })).toEqual([{ n: 7 }])
  })
})
