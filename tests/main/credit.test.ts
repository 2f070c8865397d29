// 信用应用 through the router: lists entered and merged, a check against lists, records in disclosure and 违诺
// commitments with its verdicts, cases with their measures, commitments on four eyes, and the credit report.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { describe, expect, it } from 'vitest'
import { adminSession, errorOf, expectOk, freshBackend, PENALTY, tempDir, userSession, validIdNumber, validUscc } from '../helpers'

type Call = (
  name: string,
  input?: unknown,
) => Promise<{ ok: boolean; data?: unknown; error?: { code: string; details?: Record<string, unknown> } }>
type Hit = { source: string; kind: string; basis: string; active: boolean; state: string; weight: string }
type Result = {
  id: number
  subjectName: string
  subjectShown: string | null
  verdict: string
  nameOnly: boolean
  problem: string | null
  hits: Hit[]
}
type Check = { id: number; number: string; subjectCount: number; hitCount: number; results: Result[] }

async function office() {
  const b = await freshBackend()
  const admin = await adminSession(b)
  const unit = expectOk(await admin('units:create', { name: '县市场监督管理局', kind: 'county_dept', parentId: null })) as { id: number }
  const other = expectOk(await admin('units:create', { name: '县住房和城乡建设局', kind: 'county_dept', parentId: null })) as { id: number }
  const clerk = (await userSession(b, admin, 'clerk1', ['clerk'])) as Call
  const boss = (await userSession(b, admin, 'boss1', ['supervisor'])) as Call
  const both = (await userSession(b, admin, 'both1', ['clerk', 'supervisor'])) as Call
  return { b, admin: admin as Call, clerk, boss, both, unitId: unit.id, otherUnitId: other.id }
}

const entry = (over: Record<string, unknown> = {}) => ({
  name: '某某建设工程有限公司',
  code: validUscc(1),
  kind: 'black',
  decidedBy: '市住房和城乡建设局',
  basis: '建罚〔2026〕12号',
  listedOn: '2026-06-01',
  validUntil: '2029-06-01',
  ...over,
})

async function runCheck(call: Call, subjects: Array<{ name?: string; code?: string }>, purpose = '政府采购供应商资格审查') {
  return (expectOk(await call('checks:run', { purpose, subjects })) as { check: Check }).check
}

describe('名单', () => {
  it('an entry is saved with its code checked; the same subject, kind and 依据 merges; removal is dated and reasoned', async () => {
    const { clerk, boss, admin } = await office()
    const first = expectOk(await clerk('lists:save', entry())) as { id: number; merged: boolean }
    expect(first.merged).toBe(false)
    const again = expectOk(await clerk('lists:save', entry({ validUntil: '2030-01-01', name: '某某建设工程有限公司（更名）' }))) as {
      id: number
      merged: boolean
    }
    expect(again).toEqual({ id: first.id, merged: true })
    // A different 依据 is another entry.
    expect((expectOk(await clerk('lists:save', entry({ basis: '建罚〔2026〕13号' }))) as { merged: boolean }).merged).toBe(false)

    const wrongDigit = validUscc(2).slice(0, 17) + (validUscc(2).endsWith('0') ? '1' : '0')
    expect(errorOf(await clerk('lists:save', entry({ code: wrongDigit }))).details?.fields).toEqual([
      { path: 'code', message: 'uscc.checkChar' },
    ])
    expect(errorOf(await clerk('lists:save', entry({ kind: 'purple' }))).details?.fields).toEqual([
      { path: 'kind', message: 'dict.unknown' },
    ])
    expect(errorOf(await clerk('lists:save', entry({ listedOn: '2026-11-23' }))).details?.fields).toEqual([
      { path: 'listedOn', message: 'date.future' },
    ])
    // 严重失信主体名单 is the 黑名单.
    expect((expectOk(await clerk('lists:save', entry({ kind: '严重失信主体名单', basis: 'X' }))) as { merged: boolean }).merged).toBe(false)
    // Only clerks enter lists; supervisors read them; the administrator does neither.
    expect(errorOf(await boss('lists:save', entry({ basis: 'Y' }))).code).toBe('FORBIDDEN')
    expect(errorOf(await admin('lists:list', {})).code).toBe('FORBIDDEN')

    const page = expectOk(await boss('lists:list', { kind: 'black' })) as {
      total: number
      items: Array<{ id: number; subjectName: string; validUntil: string; status: string }>
    }
    expect(page.total).toBe(3)
    expect(page.items.find((i) => i.id === first.id)).toMatchObject({
      subjectName: '某某建设工程有限公司（更名）',
      validUntil: '2030-01-01',
      status: 'active',
    })

    expect(errorOf(await clerk('lists:remove', { id: first.id, removedOn: '2026-05-01', reason: '信用修复' })).details?.fields).toEqual([
      { path: 'removedOn', message: 'date.before', params: { other: '列入日期' } },
    ])
    expectOk(await clerk('lists:remove', { id: first.id, removedOn: '2026-11-20', reason: '已完成信用修复' }))
    expect(errorOf(await clerk('lists:remove', { id: first.id, removedOn: '2026-11-21', reason: '再次' })).code).toBe('INVALID_STATE')
    const removed = expectOk(await boss('lists:list', { status: 'removed' })) as {
      total: number
      items: Array<{ id: number; removedReason: string }>
    }
    expect(removed.items).toEqual([expect.objectContaining({ id: first.id, removedReason: '已完成信用修复' })])
    expect((expectOk(await boss('lists:list', { status: 'active' })) as { total: number }).total).toBe(2)
  })

  it('a natural person on a list is found by ID number, shown masked, and the number is sealed at rest', async () => {
    const { b, clerk } = await office()
    const id = validIdNumber(7)
    expectOk(await clerk('lists:save', entry({ name: '张某', code: id, kind: 'watch' })))
    const row = await b.db('credit_list_entries').first()
    expect(JSON.stringify(row)).not.toContain(id)
    expect(row!.subject_id_masked).toBe(`${id.slice(0, 6)}********${id.slice(-4)}`)
    const page = expectOk(await clerk('lists:list', { keyword: id })) as { total: number; items: Array<{ subjectShown: string }> }
    expect(page.total).toBe(1)
    expect(page.items[0]!.subjectShown).toBe(row!.subject_id_masked)
  })
})

describe('信用核查', () => {
  it('verdicts: black list → 失信惩戒, red → 守信激励, red plus a record in disclosure → 重点关注, expired and removed do not count', async () => {
    const { clerk, boss, unitId } = await office()
    expectOk(await clerk('lists:save', entry({ code: validUscc(1) })))
    expectOk(await clerk('lists:save', entry({ name: '守信企业', code: validUscc(2), kind: 'red', basis: '红〔2026〕1号' })))
    expectOk(await clerk('lists:save', entry({ name: '红名单但有处罚', code: PENALTY.XDR_SHXYM, kind: 'red', basis: '红〔2026〕2号' })))
    expectOk(await clerk('records:create', { itemCode: 'SGS_CF', supplierUnitId: unitId, values: PENALTY }))
    // 有效期至 is the last valid day: one that ended yesterday no longer counts.
    expectOk(
      await clerk(
        'lists:save',
        entry({ name: '到期企业', code: validUscc(3), validUntil: '2026-11-21', listedOn: '2025-01-01', basis: '旧' }),
      ),
    )
    expectOk(
      await clerk(
        'lists:save',
        entry({ name: '今天到期企业', code: validUscc(4), validUntil: '2026-11-22', listedOn: '2025-01-01', basis: '今' }),
      ),
    )
    const removed = expectOk(await clerk('lists:save', entry({ name: '移出企业', code: validUscc(5), basis: '移' }))) as { id: number }
    expectOk(await clerk('lists:remove', { id: removed.id, removedOn: '2026-11-22', reason: '信用修复' }))

    const check = await runCheck(boss, [
      { code: validUscc(1) },
      { code: validUscc(2) },
      { code: PENALTY.XDR_SHXYM },
      { code: validUscc(3) },
      { code: validUscc(4) },
      { code: validUscc(5) },
      { code: validUscc(6) },
      { name: '某某建设工程有限公司' },
      { name: '查无此名' },
      { name: PENALTY.XDR_MC },
      { code: '91350102MA0000009X' },
    ])
    const v = check.results.map((r) => r.verdict)
    expect(v).toEqual(['punish', 'reward', 'watch', 'clean', 'punish', 'clean', 'clean', 'punish', 'clean', 'watch', 'invalid'])
    expect(check.results[2]!.hits.map((h) => [h.source, h.kind, h.basis])).toEqual([
      ['list', '红名单', '红〔2026〕2号'],
      ['record', '行政处罚信息', '罚〔2026〕1号'],
    ])
    expect(check.results[3]!.hits).toEqual([expect.objectContaining({ active: false, state: '已到期' })])
    expect(check.results[5]!.hits).toEqual([expect.objectContaining({ active: false, state: '已移出' })])
    expect(check.results[7]).toMatchObject({ nameOnly: true, hits: [expect.objectContaining({ kind: '黑名单' })] })
    expect(check.results[9]).toMatchObject({
      nameOnly: true,
      hits: [expect.objectContaining({ source: 'record', basis: '罚〔2026〕1号' })],
    })
    expect(check.results[10]).toMatchObject({ verdict: 'invalid', problem: expect.stringContaining('校验位') })
    expect(check).toMatchObject({ subjectCount: 11, hitCount: 6, number: '信核〔2026〕1号' })
    // The next check is the next number; the register lists both.
    expect((await runCheck(clerk, [{ code: validUscc(2) }], '评先评优')).number).toBe('信核〔2026〕2号')
    const register = expectOk(await clerk('checks:list', {})) as { total: number; items: Array<{ purpose: string; checkedBy: string }> }
    expect(register.items.map((i) => [i.purpose, i.checkedBy])).toEqual([
      ['评先评优', 'clerk1'],
      ['政府采购供应商资格审查', 'boss1'],
    ])
  })

  it('a record whose disclosure period ended is no hit, a 严重失信 record is 失信惩戒, and a check of a person never holds the full ID number', async () => {
    const { b, clerk, unitId } = await office()
    const { XDR_SHXYM: _c, ...base } = PENALTY
    const id = validIdNumber(3)
    const person = { ...base, XDR_MC: '李某', XDR_LB: 'natural_person', ZJHM: id, CF_WSH: '罚〔2026〕9号' }
    expectOk(await clerk('records:create', { itemCode: 'SGS_CF', supplierUnitId: unitId, values: person }))
    const check = await runCheck(clerk, [{ name: '李某', code: id }])
    expect(check.results[0]).toMatchObject({ verdict: 'watch', subjectShown: `${id.slice(0, 6)}********${id.slice(-4)}` })
    const stored = await b.db('credit_check_results').select()
    expect(JSON.stringify(stored)).not.toContain(id)
    expect(JSON.stringify(await b.db('audit_log').select('affected_ids'))).not.toContain(id)

    // The period ended: no hit.
    await b.db('records').update({ disclosure_ends_on: '2026-11-22' })
    expect((await runCheck(clerk, [{ code: id }])).results[0]!.verdict).toBe('clean')
    await b.db('records').update({ disclosure_ends_on: '2026-11-23', dishonesty_level: 'serious' })
    expect((await runCheck(clerk, [{ code: id }])).results[0]!.verdict).toBe('punish')
  })

  it('kinds an office adds count by their value: red_… rewards, black_… punishes, any other is 重点关注 — in checks and reports', async () => {
    const { admin, clerk } = await office()
    expectOk(
      await admin('dicts:save-item', { typeCode: 'list_kind', value: 'red_tax_a', label: '纳税信用A级', sortOrder: 40, enabled: true }),
    )
    expectOk(
      await admin('dicts:save-item', {
        typeCode: 'list_kind',
        value: 'black_wages',
        label: '拖欠农民工工资失信联合惩戒对象名单',
        sortOrder: 50,
        enabled: true,
      }),
    )
    expectOk(
      await admin('dicts:save-item', {
        typeCode: 'list_kind',
        value: 'safety',
        label: '安全生产重点关注名单',
        sortOrder: 60,
        enabled: true,
      }),
    )
    expectOk(await clerk('lists:save', entry({ code: validUscc(1), kind: '纳税信用A级', basis: '税〔2026〕1号' })))
    expectOk(await clerk('lists:save', entry({ code: validUscc(2), kind: 'black_wages', basis: '人社〔2026〕1号' })))
    expectOk(await clerk('lists:save', entry({ code: validUscc(3), kind: 'safety', basis: '应急〔2026〕1号' })))
    const check = await runCheck(clerk, [{ code: validUscc(1) }, { code: validUscc(2) }, { code: validUscc(3) }])
    expect(check.results.map((r) => [r.verdict, r.hits[0]!.kind])).toEqual([
      ['reward', '纳税信用A级'],
      ['punish', '拖欠农民工工资失信联合惩戒对象名单'],
      ['watch', '安全生产重点关注名单'],
    ])
    const report = async (code: string) => {
      const { id } = expectOk(
        await clerk('reports:create', { subject: { code }, purpose: '评优', periodFrom: '2026-01-01', periodTo: '2026-11-22' }),
      ) as { id: number }
      const r = expectOk(await clerk('reports:get', { reportId: id })) as { sections: Array<{ key: string; rows: unknown[] }> }
      return Object.fromEntries(r.sections.map((s) => [s.key, s.rows.length]))
    }
    expect(await report(validUscc(1))).toMatchObject({ honours: 1, lists: 0, other: 0 })
    expect(await report(validUscc(2))).toMatchObject({ honours: 0, lists: 1, other: 0 })
    expect(await report(validUscc(3))).toMatchObject({ honours: 0, lists: 0, other: 1 })
  })

  it('a check is audited with its number and counts; the auditor and administrator may not check', async () => {
    const { b, clerk, admin } = await office()
    const check = await runCheck(clerk, [{ code: validUscc(1) }])
    const row = await b.db('audit_log').where('procedure', 'checks:run').first()
    expect(JSON.parse(row!.affected_ids)).toEqual([`credit-check:${check.id}`, check.number, 'subjects:1', 'hits:0'])
    expect(errorOf(await admin('checks:run', { purpose: 'x', subjects: [{ code: validUscc(1) }] })).code).toBe('FORBIDDEN')
    expect(errorOf(await clerk('checks:run', { purpose: 'x', subjects: [] })).code).toBe('VALIDATION')
    expect(errorOf(await clerk('checks:run', { purpose: 'x', subjects: [{ name: '  ' }] })).code).toBe('VALIDATION')
  })
})

describe('联合奖惩 cases', () => {
  it('a measure of the right direction, or a reason; counted per unit and quarter', async () => {
    const { clerk, boss, unitId, otherUnitId } = await office()
    expectOk(await clerk('lists:save', entry()))
    expectOk(await clerk('lists:save', entry({ name: '守信企业', code: validUscc(2), kind: 'red', basis: '红' })))
    const check = await runCheck(clerk, [{ code: validUscc(1) }, { code: validUscc(2) }, { code: validUscc(3) }])
    const [black, red, clean] = check.results
    const base = { decidingUnitId: unitId, decisionDoc: '采购〔2026〕5号', decidedOn: '2026-11-20' }

    expect(
      errorOf(await clerk('cases:create', { ...base, checkResultId: black!.id, hitIndex: 0, applied: true, measure: 'r_funding' })).details
        ?.fields,
    ).toEqual([{ path: 'measure', message: 'case.needsPunishment' }])
    expect(
      errorOf(await clerk('cases:create', { ...base, checkResultId: red!.id, hitIndex: 0, applied: true, measure: 'p_bidding' })).details
        ?.fields,
    ).toEqual([{ path: 'measure', message: 'case.needsIncentive' }])
    expect(errorOf(await clerk('cases:create', { ...base, checkResultId: black!.id, hitIndex: 0, applied: false })).code).toBe('VALIDATION')
    expect(
      errorOf(await clerk('cases:create', { ...base, checkResultId: clean!.id, hitIndex: 0, applied: false, notAppliedReason: 'x' })).code,
    ).toBe('NOT_FOUND')
    expect(
      errorOf(
        await clerk('cases:create', {
          ...base,
          checkResultId: black!.id,
          hitIndex: 0,
          applied: true,
          measure: 'p_bidding',
          decidedOn: '2026-11-23',
        }),
      ).details?.fields,
    ).toEqual([{ path: 'decidedOn', message: 'date.future' }])
    expect(
      errorOf(await boss('cases:create', { ...base, checkResultId: black!.id, hitIndex: 0, applied: true, measure: 'p_bidding' })).code,
    ).toBe('FORBIDDEN')

    expectOk(await clerk('cases:create', { ...base, checkResultId: black!.id, hitIndex: 0, applied: true, measure: 'p_bidding' }))
    expectOk(
      await clerk('cases:create', {
        ...base,
        decidedOn: '2026-03-31',
        checkResultId: black!.id,
        hitIndex: 0,
        applied: false,
        notAppliedReason: '法定情形不适用',
      }),
    )
    expectOk(
      await clerk('cases:create', {
        ...base,
        decidingUnitId: otherUnitId,
        decidedOn: '2026-04-01',
        checkResultId: red!.id,
        hitIndex: 0,
        applied: true,
        measure: 'r_fasttrack',
      }),
    )

    const cases = expectOk(await boss('cases:list', {})) as {
      total: number
      items: Array<{ measureLabel: string | null; direction: string; checkNumber: string; notAppliedReason: string | null }>
    }
    expect(cases.total).toBe(3)
    expect(cases.items[0]).toMatchObject({ measureLabel: '限制参与招标投标', direction: 'punish', checkNumber: check.number })
    expect((expectOk(await boss('cases:list', { year: 2026, quarter: 1 })) as { total: number }).total).toBe(1)
    expect((expectOk(await boss('cases:list', { year: 2026, quarter: 2 })) as { total: number }).total).toBe(1)
    expect((expectOk(await boss('cases:list', { unitId: otherUnitId })) as { total: number }).total).toBe(1)

    const stats = expectOk(await boss('cases:stats', { year: 2026 })) as {
      rows: Array<{ unitName: string; quarters: Array<{ applied: number; notApplied: number }>; applied: number; notApplied: number }>
    }
    expect(stats.rows).toEqual([
      {
        unitId,
        unitName: '县市场监督管理局',
        quarters: [
          { applied: 0, notApplied: 1 },
          { applied: 0, notApplied: 0 },
          { applied: 0, notApplied: 0 },
          { applied: 1, notApplied: 0 },
        ],
        applied: 1,
        notApplied: 1,
      },
      {
        unitId: otherUnitId,
        unitName: '县住房和城乡建设局',
        quarters: [
          { applied: 0, notApplied: 0 },
          { applied: 1, notApplied: 0 },
          { applied: 0, notApplied: 0 },
          { applied: 0, notApplied: 0 },
        ],
        applied: 1,
        notApplied: 0,
      },
    ])
  })

  it('a hit no longer in force takes no case', async () => {
    const { clerk, unitId } = await office()
    expectOk(await clerk('lists:save', entry({ validUntil: '2026-11-01', listedOn: '2026-01-01' })))
    const check = await runCheck(clerk, [{ code: validUscc(1) }])
    expect(
      errorOf(
        await clerk('cases:create', {
          checkResultId: check.results[0]!.id,
          hitIndex: 0,
          applied: true,
          measure: 'p_bidding',
          decidingUnitId: unitId,
          decidedOn: '2026-11-20',
        }),
      ).code,
    ).toBe('INVALID_STATE')
  })
})

describe('信用承诺', () => {
  const commitment = (unitId: number, over: Record<string, unknown> = {}) => ({
    name: '某某餐饮有限公司',
    code: validUscc(8),
    type: 'tolerance',
    reason: '食品经营许可容缺受理',
    content: '承诺 30 日内补齐材料',
    committedOn: '2026-10-08',
    unitId,
    ...over,
  })

  it('a clerk proposes 违诺, another person confirms it, and the 失信 record appears under 信用承诺违诺信息', async () => {
    const { b, clerk, boss, both, unitId } = await office()
    const { id } = expectOk(await clerk('commitments:create', commitment(unitId))) as { id: number }
    expect(errorOf(await clerk('commitments:create', commitment(unitId, { type: 'nonsense' }))).details?.fields).toEqual([
      { path: 'type', message: 'dict.unknown' },
    ])
    expect(errorOf(await boss('commitments:decide-breach', { commitmentId: id, approve: true })).details).toMatchObject({
      reason: 'breach_not_proposed',
    })

    const breach = { commitmentId: id, facts: '逾期未补齐材料', doc: '市监认〔2026〕3号', decidedOn: '2026-11-15' }
    expect(errorOf(await boss('commitments:propose-breach', breach)).code).toBe('FORBIDDEN')
    expectOk(await both('commitments:propose-breach', breach))
    // The proposer may not decide, even holding the supervisor role.
    expect(errorOf(await both('commitments:decide-breach', { commitmentId: id, approve: true })).code).toBe('SELF_REVIEW')
    expect(errorOf(await clerk('commitments:decide-breach', { commitmentId: id, approve: true })).code).toBe('FORBIDDEN')
    expect(errorOf(await clerk('commitments:mark-kept', { commitmentId: id, keptOn: '2026-11-20' })).details).toMatchObject({
      reason: 'breach_pending',
    })

    const decided = expectOk(await boss('commitments:decide-breach', { commitmentId: id, approve: true })) as { recordId: number }
    const record = await b.db('records').where('id', decided.recordId).first()
    expect(record).toMatchObject({
      item_code: 'XYCN_WN',
      subject_code: validUscc(8),
      doc_number: '市监认〔2026〕3号',
      decision_date: '2026-11-15',
      supplier_unit_id: unitId,
    })
    expect(record!.disclosure_ends_on).not.toBeNull()
    const list = expectOk(await clerk('commitments:list', {})) as {
      items: Array<{ status: string; breach: { decidedBy: string; recordId: number } }>
    }
    expect(list.items[0]).toMatchObject({ status: 'breached', breach: { decidedBy: 'boss1', recordId: decided.recordId } })

    const check = await runCheck(clerk, [{ code: validUscc(8) }])
    expect(check.results[0]!.verdict).toBe('watch')
    expect(check.results[0]!.hits.map((h) => h.source).sort()).toEqual(['commitment', 'record'])
    // Decided once: a second decision is refused.
    expect(errorOf(await boss('commitments:decide-breach', { commitmentId: id, approve: true })).code).toBe('INVALID_STATE')
  })

  it('the signed 承诺书 is kept sealed with the commitment and shown back whole to those who may read it', async () => {
    const { b, clerk, boss, admin, unitId } = await office()
    const { id } = expectOk(await clerk('commitments:create', commitment(unitId))) as { id: number }
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==', 'base64')
    const scan = join(tempDir(), '信用承诺书（盖章）.png')
    writeFileSync(scan, png)
    b.openPath.value = null
    expect(expectOk(await clerk('commitments:attach', { commitmentId: id }))).toEqual({ attached: false, fileName: null })
    expect(errorOf(await boss('commitments:scan', { commitmentId: id })).code).toBe('NOT_FOUND')
    b.openPath.value = scan
    expect(errorOf(await boss('commitments:attach', { commitmentId: id })).code).toBe('FORBIDDEN')
    expect(expectOk(await clerk('commitments:attach', { commitmentId: id }))).toEqual({
      attached: true,
      fileName: '信用承诺书（盖章）.png',
    })
    const shown = expectOk(await boss('commitments:scan', { commitmentId: id })) as { fileName: string; mime: string; base64: string }
    expect(shown).toEqual({ fileName: '信用承诺书（盖章）.png', mime: 'image/png', base64: png.toString('base64') })
    expect(errorOf(await admin('commitments:scan', { commitmentId: id })).code).toBe('FORBIDDEN')
    const list = expectOk(await boss('commitments:list', {})) as { items: Array<{ scanFileName: string }> }
    expect(list.items[0]!.scanFileName).toBe('信用承诺书（盖章）.png')
    // A file that is not what its name says is refused.
    const fake = join(tempDir(), '假的.png')
    writeFileSync(fake, 'not a picture')
    b.openPath.value = fake
    expect(errorOf(await clerk('commitments:attach', { commitmentId: id })).code).toBe('ATTACHMENT_REJECTED')
  })

  it('a refused proposal keeps the commitment running; kept is dated; a natural person is sealed and the record carries the ID', async () => {
    const { b, clerk, boss, unitId } = await office()
    const { id } = expectOk(await clerk('commitments:create', commitment(unitId))) as { id: number }
    expectOk(await clerk('commitments:propose-breach', { commitmentId: id, facts: 'x', doc: 'd', decidedOn: '2026-11-15' }))
    const waiting = async () => ({
      listed: (expectOk(await boss('commitments:list', { pending: true })) as { total: number }).total,
      card: (expectOk(await boss('home:todo')) as { breachesToDecide: number }).breachesToDecide,
    })
    expect(await waiting()).toEqual({ listed: 1, card: 1 })
    expect(errorOf(await boss('commitments:decide-breach', { commitmentId: id, approve: false })).code).toBe('VALIDATION')
    expectOk(await boss('commitments:decide-breach', { commitmentId: id, approve: false, reason: '材料已补齐' }))
    expect(await waiting()).toEqual({ listed: 0, card: 0 })
    expect(await b.db('records').where('item_code', 'XYCN_WN').count({ n: '*' })).toEqual([{ n: 0 }])
    expect(errorOf(await clerk('commitments:mark-kept', { commitmentId: id, keptOn: '2026-10-01' })).details?.fields).toEqual([
      { path: 'keptOn', message: 'date.before', params: { other: '承诺日期' } },
    ])
    expectOk(await clerk('commitments:mark-kept', { commitmentId: id, keptOn: '2026-11-20' }))
    expect(
      errorOf(await clerk('commitments:propose-breach', { commitmentId: id, facts: 'x', doc: 'd', decidedOn: '2026-11-15' })).code,
    ).toBe('INVALID_STATE')

    const pid = validIdNumber(9)
    const person = expectOk(await clerk('commitments:create', commitment(unitId, { name: '王某', code: pid, type: 'repair' }))) as {
      id: number
    }
    expect(JSON.stringify(await b.db('commitments').where('id', person.id).first())).not.toContain(pid)
    expectOk(
      await clerk('commitments:propose-breach', {
        commitmentId: person.id,
        facts: '未履行',
        doc: '认〔2026〕8号',
        decidedOn: '2026-11-16',
      }),
    )
    const { recordId } = expectOk(await boss('commitments:decide-breach', { commitmentId: person.id, approve: true })) as {
      recordId: number
    }
    const rec = await b.db('records').where('id', recordId).first()
    expect(rec).toMatchObject({ subject_type: 'natural_person', subject_code: null })
    expect(rec!.subject_id_index).not.toBeNull()
    expect(rec!.data).not.toContain(pid)
    expect((await runCheck(clerk, [{ code: pid }])).results[0]!.verdict).toBe('watch')
  })
})

describe('信用报告', () => {
  it('numbered, in the report sections, only what is disclosable; a natural person needs an authorisation', async () => {
    const { b, clerk, boss, unitId } = await office()
    expectOk(await clerk('records:create', { itemCode: 'SGS_CF', supplierUnitId: unitId, values: { ...PENALTY, FRDB: '张法人' } }))
    expectOk(await clerk('lists:save', entry({ code: PENALTY.XDR_SHXYM, name: PENALTY.XDR_MC })))
    const input = { subject: { code: PENALTY.XDR_SHXYM }, purpose: '政府采购', periodFrom: '2024-01-01', periodTo: '2026-11-22' }
    const { id } = expectOk(await clerk('reports:create', input)) as { id: number }
    const report = expectOk(await clerk('reports:get', { reportId: id })) as {
      number: string
      officeName: string
      sections: Array<{ key: string; rows: Array<Array<{ label: string; value: string }>> }>
    }
    expect(report).toMatchObject({ number: '信报〔2026〕1号', officeName: '示例县信用办' })
    const section = (k: string) => report.sections.find((s) => s.key === k)!
    expect(section('administrative').rows).toHaveLength(1)
    expect(section('administrative').rows[0]).toContainEqual({ label: '决定文书号', value: '罚〔2026〕1号' })
    expect(section('registration').rows[0]).toContainEqual({ label: '法定代表人（负责人）', value: '张法人' })
    expect(section('lists').rows).toHaveLength(1)
    expect(section('honours').rows).toEqual([])
    expect(report.sections.map((s) => s.key)).toEqual(['registration', 'administrative', 'honours', 'lists', 'commitments', 'other'])
    expect(JSON.parse((await b.db('audit_log').where('procedure', 'reports:create').first())!.affected_ids)).toEqual([
      `credit-report:${id}`,
    ])

    // The record's period ends: a new report leaves it out; the old one stays as produced.
    await b.db('records').update({ disclosure_ends_on: '2026-11-01' })
    const later = expectOk(await clerk('reports:create', input)) as { id: number }
    const again = expectOk(await clerk('reports:get', { reportId: later.id })) as typeof report
    expect(again.number).toBe('信报〔2026〕2号')
    expect(again.sections.find((s) => s.key === 'administrative')!.rows).toEqual([])
    expect((expectOk(await clerk('reports:get', { reportId: id })) as typeof report).sections[1]!.rows).toHaveLength(1)
    // Outside the period: not in the report.
    const before = expectOk(await clerk('reports:create', { ...input, periodFrom: '2024-01-01', periodTo: '2026-05-31' })) as { id: number }
    expect(
      (expectOk(await clerk('reports:get', { reportId: before.id })) as typeof report).sections.find((s) => s.key === 'lists')!.rows,
    ).toEqual([])

    const pid = validIdNumber(4)
    expect(errorOf(await clerk('reports:create', { ...input, subject: { code: pid } })).details?.fields).toEqual([
      { path: 'authorisation', message: 'report.authorisationRequired' },
    ])
    expect(errorOf(await clerk('reports:create', { ...input, subject: { name: '只有名称' } })).details?.fields).toEqual([
      { path: 'subject.code', message: 'report.codeRequired' },
    ])
    const personal = expectOk(await clerk('reports:create', { ...input, subject: { code: pid }, authorisation: '授权〔2026〕7号' })) as {
      id: number
    }
    expect(JSON.parse((await b.db('audit_log').where('procedure', 'reports:create').orderBy('id', 'desc').first())!.affected_ids)).toEqual([
      `credit-report:${personal.id}`,
      'authorisation:授权〔2026〕7号',
    ])
    expect(errorOf(await clerk('reports:create', { ...input, periodTo: '2026-11-23' })).details?.fields).toEqual([
      { path: 'periodTo', message: 'date.future' },
    ])
    // Produced reports are listed to be opened again, newest first; a keyword finds them.
    const produced = expectOk(await boss('reports:list', {})) as { total: number; items: Array<{ number: string }> }
    expect(produced.total).toBe(4)
    expect(produced.items.map((r) => r.number)).toEqual(['信报〔2026〕4号', '信报〔2026〕3号', '信报〔2026〕2号', '信报〔2026〕1号'])
    expect((expectOk(await boss('reports:list', { keyword: PENALTY.XDR_SHXYM })) as { total: number }).total).toBe(3)
  })
})

describe('exports', () => {
  async function rows(path: string) {
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.readFile(path)
    const out: unknown[][] = []
    wb.worksheets[0]!.eachRow((r) => out.push((r.values as unknown[]).slice(1)))
    return out
  }

  it('the 核查结果 workbook, the lists, cases and commitments as filtered, ID numbers masked, each export audited', async () => {
    const { b, clerk, boss, unitId } = await office()
    const dir = tempDir()
    const pid = validIdNumber(5)
    const masked = `${pid.slice(0, 6)}********${pid.slice(-4)}`
    expectOk(await clerk('lists:save', entry()))
    expectOk(await clerk('lists:save', entry({ name: '王某', code: pid, kind: 'watch', basis: '人社〔2026〕1号' })))
    const removed = expectOk(await clerk('lists:save', entry({ name: '移出企业', code: validUscc(9), basis: '移' }))) as { id: number }
    expectOk(await clerk('lists:remove', { id: removed.id, removedOn: '2026-11-20', reason: '信用修复' }))
    const check = await runCheck(clerk, [{ code: validUscc(1) }, { name: '王某', code: pid }, { code: validUscc(3) }])

    b.savePath.value = join(dir, 'check.xlsx')
    expect(expectOk(await boss('checks:export', { checkId: check.id }))).toMatchObject({ cancelled: false, rows: 3 })
    const sheet = await rows(join(dir, 'check.xlsx'))
    expect(sheet[0]).toEqual(['序号', '主体名称', '统一社会信用代码/证件号码', '核查结论', '匹配方式', '命中情况'])
    expect(sheet.slice(1, 4).map((r) => [r[1], r[2], r[3]])).toEqual([
      ['某某建设工程有限公司', validUscc(1), '失信惩戒对象'],
      ['王某', masked, '重点关注对象'],
      [validUscc(3), validUscc(3), '未发现不良信用记录'],
    ])
    expect(String(sheet[1]![5])).toContain('【名单·黑名单·有效】建罚〔2026〕12号')
    expect(String(sheet.at(-1)![0])).toContain(check.number)
    expect(JSON.stringify(sheet)).not.toContain(pid)

    b.savePath.value = join(dir, 'lists.xlsx')
    expect(expectOk(await boss('lists:export', { status: 'active' }))).toMatchObject({ rows: 2 })
    const lists = await rows(join(dir, 'lists.xlsx'))
    // Newest first, as on screen.
    expect(lists.slice(1).map((r) => [r[0], r[1], r[3]])).toEqual([
      ['王某', masked, '有效'],
      ['某某建设工程有限公司', validUscc(1), '有效'],
    ])

    expectOk(
      await clerk('cases:create', {
        checkResultId: check.results[0]!.id,
        hitIndex: 0,
        applied: true,
        measure: 'p_bidding',
        decidingUnitId: unitId,
        decidedOn: '2026-11-20',
      }),
    )
    expectOk(
      await clerk('cases:create', {
        checkResultId: check.results[1]!.id,
        hitIndex: 0,
        applied: false,
        notAppliedReason: '不适用',
        decidingUnitId: unitId,
        decidedOn: '2026-05-20',
      }),
    )
    b.savePath.value = join(dir, 'cases.xlsx')
    expect(expectOk(await boss('cases:export', { year: 2026, quarter: 4 }))).toMatchObject({ rows: 1 })
    expect((await rows(join(dir, 'cases.xlsx')))[1]!.slice(0, 7)).toEqual([
      '2026-11-20',
      '某某建设工程有限公司',
      validUscc(1),
      '失信惩戒',
      '黑名单：建罚〔2026〕12号',
      '限制参与招标投标',
      undefined,
    ])

    expectOk(
      await clerk('commitments:create', {
        name: '钱某',
        code: pid,
        type: 'repair',
        reason: '信用修复承诺',
        committedOn: '2026-11-01',
        unitId,
      }),
    )
    b.savePath.value = join(dir, 'commitments.xlsx')
    expect(expectOk(await clerk('commitments:export', {}))).toMatchObject({ rows: 1 })
    const commitments = await rows(join(dir, 'commitments.xlsx'))
    expect(commitments[1]!.slice(0, 3)).toEqual(['钱某', masked, '信用修复型'])
    expect(JSON.stringify(commitments)).not.toContain(pid)

    const audited = await b
      .db('audit_log')
      .whereIn('procedure', ['checks:export', 'lists:export', 'cases:export', 'commitments:export'])
      .orderBy('id')
      .pluck('procedure')
    expect(audited).toEqual(['checks:export', 'lists:export', 'cases:export', 'commitments:export'])
  })
})
