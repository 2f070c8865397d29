// Rules at their edges: the day a deadline falls, the last day of a disclosure period, a reporting deadline that
// runs across the National Day week. Each assertion sits on the boundary, so moving it by one day fails here.
import { join } from 'node:path'
import ExcelJS from 'exceljs'
import { describe, expect, it } from 'vitest'
import { packagedCalendar } from '../../electron/core/calendar/working-calendar'
import { disclosureStatus, disclosureWindow, loadDisclosureRules } from '../../electron/core/catalog/disclosure'
import { getCatalogItem } from '../../electron/core/catalog/catalog'
import { loadPreviewContext } from '../../electron/core/catalog/record-context'
import { previewImport } from '../../electron/core/catalog/record-import'
import { lightOf } from '../../electron/core/supervision/task-lifecycle'
import { freshDb, tempDir } from '../helpers'

const cal = packagedCalendar()

describe('the task light at its edges', () => {
  // The deadline rules alone (progress against time out of play: margin 100).
  const light = (status: 'in_progress' | 'signed', today: string, yellowDays: number) =>
    lightOf({ status, deadline: '2026-11-27', percent: 0, startedOn: null }, today, { yellowDays, lagMargin: 100 }, cal)
  it('is yellow on the deadline day itself and red the day after', () => {
    expect(light('in_progress', '2026-11-27', 5)).toBe('yellow')
    expect(light('in_progress', '2026-11-28', 5)).toBe('red')
    expect(light('signed', '2026-11-27', 0)).toBe('yellow')
  })

  it('turns yellow exactly N working days before the deadline', () => {
    // 2026-11-20 (Fri) to 2026-11-27 (Fri): five working days.
    expect(cal.workingDaysBetween('2026-11-20', '2026-11-27').value).toBe(5)
    expect(light('in_progress', '2026-11-20', 5)).toBe('yellow')
    expect(light('in_progress', '2026-11-20', 4)).toBe('green')
  })
})

describe('progress against plan at its edges', () => {
  // Out on 1 Nov, due 31 Dec (60 days): on 1 Dec 30 of 60 days = 50 % of the time has passed.
  const unit = (percent: number) => ({ status: 'in_progress' as const, deadline: '2026-12-31', percent, startedOn: '2026-11-01' })
  const rules = { yellowDays: 5, lagMargin: 30 }
  it('turns yellow when the time elapsed runs ahead of the reported percentage by more than the margin', () => {
    expect(lightOf(unit(20), '2026-12-01', rules, cal)).toBe('green') // 50 − 20 = 30: not more than the margin
    expect(lightOf(unit(19), '2026-12-01', rules, cal)).toBe('yellow') // 31
    expect(lightOf(unit(0), '2026-11-19', rules, cal)).toBe('green') // 18 of 60 days = 30 %
    expect(lightOf(unit(0), '2026-11-20', rules, cal)).toBe('yellow') // 19 of 60 days = 31.7 %
    expect(lightOf(unit(19), '2026-12-01', { ...rules, lagMargin: 31 }, cal)).toBe('green')
  })
  it('does not judge a unit before its task went out, nor a unit without a start', () => {
    expect(lightOf({ ...unit(0), startedOn: null }, '2026-12-01', rules, cal)).toBe('green')
    expect(lightOf(unit(0), '2026-11-01', rules, cal)).toBe('green')
  })
})

describe('the disclosure period at its edges', () => {
  it('is still disclosed (or repairable) on its last day, and over the day it ends', async () => {
    const { db } = await freshDb()
    const w = disclosureWindow(await loadDisclosureRules(db), '2026-05-10', 'general')!
    const before = (d: string) => new Date(Date.parse(`${d}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10)
    expect(disclosureStatus(w, before(w.repairableFrom))).toBe('公示中')
    expect(disclosureStatus(w, w.repairableFrom)).toBe('可申请修复')
    expect(disclosureStatus(w, before(w.endsOn))).toBe('可申请修复')
    expect(disclosureStatus(w, w.endsOn)).toBe('已到期')
    // Repaired on a day: from that day on, not the day before.
    expect(disclosureStatus({ ...w, repairedOn: before(w.endsOn) }, before(w.endsOn))).toBe('已修复')
    expect(disclosureStatus({ ...w, repairedOn: before(w.endsOn) }, before(before(w.endsOn)))).toBe('可申请修复')
  })
})

describe('the reporting deadline across a holiday week', () => {
  it('counts 7 working days over 国庆 (with the 10 October 调休 Saturday): late only after 14 October', async () => {
    // Decided Tue 29 Sep 2026: 30 Sep, 8, 9, 10 (Saturday worked), 12, 13, 14 Oct. By weekends alone it would be 8 Oct.
    expect(cal.addWorkingDays('2026-09-29', 7).value).toBe('2026-10-14')
    const { db } = await freshDb()
    const item = await getCatalogItem(db, (await db('catalog_items').where('code', 'SGS_CF').first('id'))!.id)
    const row: Record<string, ExcelJS.CellValue> = {
      XDR_MC: '某某食品有限公司',
      XDR_LB: '法人和非法人组织',
      XDR_SHXYM: '91350100M000100Y43',
      CF_WSH: '罚〔2026〕1号',
      CF_WFXW: '销售过期食品',
      CF_SY: '经查属实',
      CF_YJ: '《食品安全法》',
      CF_CFLB: '罚款',
      CF_NR: '罚款五万元',
      CF_JDRQ: '2026-09-29',
      CF_YXQ: '2027-09-29',
      CF_CFJG: '某县市场监督管理局',
      CF_CFJGDM: '91440300708461136T',
      CF_SJLY: '某县市场监督管理局',
      CF_SJLYDM: '91440300708461136T',
    }
    const wb = new ExcelJS.Workbook()
    const ws = wb.addWorksheet('处罚')
    ws.addRow(Object.keys(row))
    ws.addRow(Object.values(row))
    const path = join(tempDir(), 'late.xlsx')
    await wb.xlsx.writeFile(path)
    const late = async (reportedOn: string) =>
      (await previewImport(path, item, { ...(await loadPreviewContext(db, '2026-11-30')), reportedOn })).lateRows
    expect(await late('2026-10-09')).toBe(0) // late by weekends alone, not by the office calendar
    expect(await late('2026-10-14')).toBe(0) // the deadline day itself
    expect(await late('2026-10-15')).toBe(1)
  })
})
