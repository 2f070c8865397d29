// The rules of 信用应用 in one place each: a list entry's status on a day (for one entry and as SQL, held to the same
// answers at every boundary), how hits weigh into a verdict, how a subject is read from a name and a code, and which
// measures are incentives.
import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { Hit } from '../../electron/contract/schemas/credit'
import { listStatus, whereListStatus } from '../../electron/core/credit/list-status'
import { listKindWeight, recordWeight, verdictOf } from '../../electron/core/credit/verdict'
import { identifySubject } from '../../electron/core/credit/subject'
import { measureDirection } from '../../electron/core/credit/sanction-cases'
import { kindValue } from '../../electron/core/credit/lists'
import { randomBytes } from 'node:crypto'
import { LIST_STATUSES } from '../../electron/contract/schemas/credit'
import { completeUscc } from '../../electron/core/codes/uscc'
import { aliasIndex } from '../../electron/core/system/dict-match'
import { SHIPPED_ALIASES } from '../../db/migrations/20261204090000_department_files'
import { freshDb, validIdNumber, validUscc } from '../helpers'

const TODAY = '2026-11-22'

describe('list status', () => {
  it('有效期至 is the last valid day, 移出 counts from its day; the SQL filter agrees with the rule at every boundary', async () => {
    const { db } = await freshDb()
    const days = [null, '2026-11-21', '2026-11-22', '2026-11-23']
    const cases = days.flatMap((validUntil) => days.map((removedOn) => ({ validUntil, removedOn })))
    for (const [i, c] of cases.entries())
      await db('credit_list_entries').insert({
        subject_name: `s${i}`,
        subject_type: 'legal',
        subject_key: `k${i}-${randomUUID()}`,
        list_kind: 'black',
        decided_by: 'x',
        basis: 'y',
        listed_on: '2026-01-01',
        valid_until: c.validUntil,
        removed_on: c.removedOn,
        source: 'local',
        created_at: 0,
        updated_at: 0,
      })
    const expected = cases.map((c) => listStatus(c, TODAY))
    expect(listStatus({ validUntil: '2026-11-22', removedOn: null }, TODAY)).toBe('active')
    expect(listStatus({ validUntil: '2026-11-21', removedOn: null }, TODAY)).toBe('expired')
    expect(listStatus({ validUntil: null, removedOn: '2026-11-22' }, TODAY)).toBe('removed')
    expect(listStatus({ validUntil: null, removedOn: '2026-11-23' }, TODAY)).toBe('active')
    expect(listStatus({ validUntil: '2026-11-21', removedOn: '2026-11-22' }, TODAY)).toBe('removed')
    for (const status of LIST_STATUSES) {
      const names: string[] = await whereListStatus(db('credit_list_entries as l'), status, TODAY).orderBy('l.id').pluck('l.subject_name')
      expect(names, status).toEqual(cases.map((_, i) => `s${i}`).filter((_, i) => expected[i] === status))
    }
  })
})

const hit = (weight: Hit['weight'], active = true): Hit => ({
  source: 'list',
  kind: 'x',
  basis: 'y',
  by: null,
  date: null,
  until: null,
  active,
  state: '',
  weight,
})

describe('verdicts', () => {
  it('the heaviest active hit decides; inactive hits weigh nothing', () => {
    expect(verdictOf([])).toBe('clean')
    expect(verdictOf([hit('reward')])).toBe('reward')
    expect(verdictOf([hit('reward'), hit('watch')])).toBe('watch')
    expect(verdictOf([hit('watch'), hit('punish'), hit('reward')])).toBe('punish')
    expect(verdictOf([hit('punish', false), hit('reward')])).toBe('reward')
    expect(verdictOf([hit('punish', false), hit('watch', false)])).toBe('clean')
  })

  it('black lists punish, red lists reward (and an office’s own kinds named red_… / black_…), every other kind is 重点关注; 严重失信 records punish', () => {
    expect(listKindWeight('black')).toBe('punish')
    expect(listKindWeight('red')).toBe('reward')
    expect(listKindWeight('watch')).toBe('watch')
    expect(listKindWeight('office_added')).toBe('watch')
    expect(listKindWeight('red_tax_a')).toBe('reward')
    expect(listKindWeight('black_wage_arrears')).toBe('punish')
    expect(listKindWeight('redeemed')).toBe('watch')
    expect(recordWeight('serious')).toBe('punish')
    expect(recordWeight('general')).toBe('watch')
    expect(recordWeight('minor')).toBe('watch')
    expect(recordWeight(null)).toBe('watch')
  })

  it('measures starting r_ are incentives, all others 惩戒', () => {
    expect(measureDirection('r_funding')).toBe('reward')
    expect(measureDirection('p_bidding')).toBe('punish')
    expect(measureDirection('local_measure')).toBe('punish')
  })

  it('list kinds are read by value, label, or a document’s name for them (the shipped aliases)', () => {
    const aliases = aliasIndex(
      Object.entries(SHIPPED_ALIASES.list_kind!).map(([value, names]) => ({ value, label: value, aliases: names })),
    )
    const kinds = new Map([
      ['red', '红名单'],
      ['black', '黑名单'],
      ['watch', '重点关注名单'],
      ['tax_a', '纳税信用A级'],
    ])
    expect(kindValue(kinds, 'black', aliases)).toBe('black')
    expect(kindValue(kinds, '黑名单', aliases)).toBe('black')
    expect(kindValue(kinds, '严重失信主体名单', aliases)).toBe('black')
    expect(kindValue(kinds, '失信联合惩戒对象名单', aliases)).toBe('black')
    expect(kindValue(kinds, '守信激励对象名单', aliases)).toBe('red')
    expect(kindValue(kinds, '纳税信用A级', aliases)).toBe('tax_a')
    expect(kindValue(kinds, '紫名单', aliases)).toBeNull()
    expect(kindValue(new Map([['red', '红名单']]), '严重失信主体名单', aliases)).toBeNull() // an alias of a kind switched off
  })
})

describe('subjects', () => {
  const keys = { encKey: randomBytes(16), indexKey: randomBytes(32) }

  it('a USCC is kept in full and typed by its prefix; an ID number is keyed by its blind index and shown masked', () => {
    const company = identifySubject(keys, ' 甲公司 ', validUscc(1).toLowerCase(), TODAY)
    expect(company).toEqual({
      ok: true,
      subject: { name: '甲公司', kind: 'legal', code: validUscc(1), idNumber: null, key: validUscc(1), shown: validUscc(1) },
    })
    const code92 = completeUscc('92350102MA000001')
    const individual = identifySubject(keys, null, code92, TODAY)
    expect(individual.ok && individual.subject).toMatchObject({ kind: 'individual_business', name: code92 })
    const id = validIdNumber(1)
    const person = identifySubject(keys, '张某', id, TODAY)
    expect(person.ok && person.subject).toMatchObject({
      kind: 'natural_person',
      code: null,
      idNumber: id,
      shown: `${id.slice(0, 6)}********${id.slice(-4)}`,
    })
    expect(person.ok && person.subject.key).toMatch(/^id:[0-9a-f]{64}$/)
    expect(JSON.stringify(person.ok && person.subject.key)).not.toContain(id)
  })

  it('a name alone is a name key; nothing at all, or a code that fails its check, is refused (never looked up by name)', () => {
    expect(identifySubject(keys, '乙公司', '  ', TODAY)).toEqual({
      ok: true,
      subject: { name: '乙公司', kind: 'unknown', code: null, idNumber: null, key: 'name:乙公司', shown: null },
    })
    expect(identifySubject(keys, '', null, TODAY)).toEqual({ ok: false, reason: 'credit.subjectMissing', shown: null })
    const wrong = validUscc(3).slice(0, 17) + (validUscc(3).endsWith('1') ? '2' : '1')
    expect(identifySubject(keys, '丙公司', wrong, TODAY)).toEqual({ ok: false, reason: 'uscc.checkChar', shown: wrong })
    const badId = validIdNumber(3).slice(0, 17) + (validIdNumber(3).endsWith('1') ? '2' : '1')
    const refused = identifySubject(keys, '丁某', badId, TODAY)
    expect(refused).toMatchObject({ ok: false, reason: 'idcard.checkChar' })
    expect(JSON.stringify(refused)).not.toContain(badId) // even a wrong number is shown masked
    expect(identifySubject(keys, 'x', '12345', TODAY)).toMatchObject({ ok: false, reason: 'code.length' })
  })
})
