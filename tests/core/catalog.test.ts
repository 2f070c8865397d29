import { describe, expect, it } from 'vitest'
import type { Backend } from '../../electron/main/compose'
import { adminSession, errorOf, expectOk, freshBackend, WINDOW } from '../helpers'

const DRAFT = {
  code: 'XY_CNLX',
  categoryCode: '08',
  name: '信用承诺履约信息',
  infoClass: 'good',
  subjectTypes: ['legal', 'individual_business'],
  disclosure: 'public',
  updateFrequency: 'monthly',
  collectionMethod: 'excel',
  source: 'county',
  fields: [
    { code: 'XDR_MC', name: '主体名称', type: 'text', maxLength: 200, required: true },
    { code: 'XDR_SHXYM', name: '统一社会信用代码', type: 'uscc', maxLength: 18, required: true, checkRule: 'subject_code' },
    { code: 'CNLX', name: '承诺类型', type: 'text', maxLength: 50, required: true },
    { code: 'CNRQ', name: '承诺日期', type: 'date', required: true, checkRule: 'not_future' },
  ],
}

/** An office with a clerk (window 2) and a supervisor (window 3), both past their first login. */
async function office() {
  const b = await freshBackend()
  const admin = await adminSession(b)
  const as = async (id: string, username: string, roles: string[]) => {
    expectOk(await admin('users:create', { username, displayName: username, roles, initialPassword: 'Init#2026a' }))
    const w = { ...WINDOW, id }
    expectOk(await b.dispatch(w, 'auth:login', { username, password: 'Init#2026a' }))
    expectOk(await b.dispatch(w, 'auth:change-password', { oldPassword: 'Init#2026a', newPassword: 'Fresh#2026b' }))
    return (name: string, input: unknown = {}) => b.dispatch(w, name, input)
  }
  return { b, admin, clerk: await as('2', 'clerk1', ['clerk']), supervisor: await as('3', 'sup1', ['supervisor']) }
}

const idOf = (env: Awaited<ReturnType<Backend['dispatch']>>) => (expectOk(env) as { id: number }).id

describe('catalog reference data', () => {
  it('ships the national 双公示 items and the 信用承诺违诺 item, approved, with their data items', async () => {
    const { clerk } = await office()
    const page = expectOk(await clerk('catalog:list', {})) as {
      items: Array<{ id: number; code: string; status: string; fieldCount: number }>
    }
    expect(page.items.map((i) => [i.code, i.status])).toEqual([
      ['SGS_CF', 'approved'],
      ['SGS_XK', 'approved'],
      ['XYCN_WN', 'approved'],
    ])
    const cf = expectOk(await clerk('catalog:get', { id: page.items[0]!.id })) as {
      fields: Array<{ code: string; required: boolean; dictTypeCode: string | null }>
    }
    const codes = cf.fields.map((f) => f.code)
    expect(codes).toEqual(
      expect.arrayContaining([
        'CF_WSH',
        'CF_WFXW',
        'CF_SY',
        'CF_YJ',
        'CF_CFLB',
        'CF_NR',
        'CF_NR_FK',
        'CF_NR_WFFF',
        'CF_NR_ZKDX',
        'CF_JDRQ',
        'CF_YXQ',
        'CF_GSJZQ',
        'CF_CFJG',
        'CF_CFJGDM',
        'CF_SJLY',
        'CF_SJLYDM',
      ]),
    )
    expect(cf.fields.find((f) => f.code === 'CF_CFLB')).toMatchObject({ required: true, dictTypeCode: 'penalty_category' })
  })
})

describe('catalog item lifecycle', () => {
  it('draft → submitted → returned → resubmitted → approved; approved versions are never edited', async () => {
    const { b, clerk, supervisor } = await office()
    const id = idOf(await clerk('catalog:save-draft', DRAFT))
    expectOk(await clerk('catalog:save-draft', { ...DRAFT, id, name: '信用承诺及履约信息' }))
    expectOk(await clerk('catalog:submit', { id }))
    expect(errorOf(await clerk('catalog:review', { id, decision: 'approve' })).code).toBe('FORBIDDEN') // clerks do not approve
    expect(errorOf(await supervisor('catalog:review', { id, decision: 'return' })).details!.fields).toEqual([
      { path: 'comment', message: 'catalog.commentRequired' },
    ])
    expectOk(await supervisor('catalog:review', { id, decision: 'return', comment: '请补充法律依据' }))
    const returned = expectOk(await clerk('catalog:get', { id })) as { status: string; reviewComment: string }
    expect(returned).toMatchObject({ status: 'draft', reviewComment: '请补充法律依据' })
    expectOk(await clerk('catalog:save-draft', { ...DRAFT, id, legalBasis: '《某某条例》第十条' }))
    expectOk(await clerk('catalog:submit', { id }))
    expectOk(await supervisor('catalog:review', { id, decision: 'approve' }))
    expect(errorOf(await clerk('catalog:save-draft', { ...DRAFT, id, name: '改名' })).code).toBe('INVALID_STATE')
    const audit = await b.db('audit_log').where('procedure', 'catalog:review').pluck('result')
    expect(audit).toEqual(['FORBIDDEN', 'VALIDATION', 'ok', 'ok'])
  })

  it('a new version supersedes the old one on approval, and the two can be compared', async () => {
    const { clerk, supervisor } = await office()
    const v1 = idOf(await clerk('catalog:save-draft', DRAFT))
    expectOk(await clerk('catalog:submit', { id: v1 }))
    expectOk(await supervisor('catalog:review', { id: v1, decision: 'approve' }))
    const v2 = idOf(await clerk('catalog:new-version', { id: v1 }))
    expect(errorOf(await clerk('catalog:new-version', { id: v1 })).code).toBe('INVALID_STATE') // one open version at a time
    const fields = [
      ...DRAFT.fields.filter((f) => f.code !== 'CNLX'),
      { code: 'LYQK', name: '履约情况', type: 'text', maxLength: 500, required: false },
    ]
    expectOk(await clerk('catalog:save-draft', { ...DRAFT, id: v2, updateFrequency: 'quarterly', fields }))
    expectOk(await clerk('catalog:submit', { id: v2 }))
    expectOk(await supervisor('catalog:review', { id: v2, decision: 'approve' }))

    const versions = expectOk(await clerk('catalog:versions', { code: 'XY_CNLX' })) as Array<{ version: number; status: string }>
    expect(versions.map((v) => [v.version, v.status])).toEqual([
      [2, 'approved'],
      [1, 'superseded'],
    ])
    const diff = expectOk(await clerk('catalog:compare', { fromId: v1, toId: v2 })) as {
      changes: Array<{ key: string; kind: string; before: string | null; after: string | null }>
    }
    expect(diff.changes).toEqual([
      { key: 'updateFrequency', kind: 'changed', before: '每月', after: '每季' },
      { key: 'field:LYQK', kind: 'added', before: null, after: '履约情况，文本，长度500，选填' },
      { key: 'field:CNLX', kind: 'removed', before: '承诺类型，文本，长度50，必填', after: null },
    ])
    const live = expectOk(await clerk('catalog:list', { keyword: 'XY_CNLX' })) as { items: Array<{ version: number }> }
    expect(live.items.map((i) => i.version)).toEqual([2])
  })

  it('explains every problem of a draft field by field, and stores nothing', async () => {
    const { b, clerk } = await office()
    const bad = {
      ...DRAFT,
      code: 'SGS_XK', // taken by the national item
      infoClass: 'bad', // without a 失信等级
      disclosure: 'everyone',
      fields: [
        { code: 'A', name: '甲', type: 'dict', required: true },
        { code: 'A', name: '乙', type: 'date', required: false, checkRule: 'not_before:ZZZ' },
      ],
    }
    const err = errorOf(await clerk('catalog:save-draft', bad))
    expect(err.details!.fields).toEqual([
      { path: 'code', message: 'catalog.codeTaken' },
      { path: 'disclosure', message: 'catalog.dictValue' },
      { path: 'dishonestyLevel', message: 'catalog.level' },
      { path: 'fields.0.dictTypeCode', message: 'field.dictMissing' },
      { path: 'fields.1.code', message: 'field.duplicate' },
      { path: 'fields.1.checkRule', message: 'field.ruleUnknown' },
    ])
    expect(await b.db('catalog_items').count({ n: '*' })).toEqual([{ n: 3 }])
  })

  it('does not let the author approve their own item, even holding both roles', async () => {
    const { admin, b } = await office()
    expectOk(
      await admin('users:create', { username: 'both', displayName: '兼任', roles: ['clerk', 'supervisor'], initialPassword: 'Init#2026a' }),
    )
    const w = { ...WINDOW, id: '7' }
    expectOk(await b.dispatch(w, 'auth:login', { username: 'both', password: 'Init#2026a' }))
    expectOk(await b.dispatch(w, 'auth:change-password', { oldPassword: 'Init#2026a', newPassword: 'Fresh#2026b' }))
    const id = idOf(await b.dispatch(w, 'catalog:save-draft', DRAFT))
    expectOk(await b.dispatch(w, 'catalog:submit', { id }))
    expect(errorOf(await b.dispatch(w, 'catalog:review', { id, decision: 'approve' })).code).toBe('SELF_REVIEW')
  })
})
