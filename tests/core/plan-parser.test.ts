import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import JSZip from 'jszip'
import { describe, expect, it } from 'vitest'
import { main } from '../../electron/cli/index'
import { parsePlan, parseUnits, planTitle } from '../../electron/core/supervision/plan-parser'
import { readPlanText } from '../../electron/core/supervision/plan-text'
import { tempDir } from '../helpers'
import { PLAN } from '../fixtures/sample-plan'

describe('plan decomposition', () => {
  const plan = parsePlan(PLAN)

  it('reads the issuer, the document number and the plan year', () => {
    expect(plan).toMatchObject({ issuer: '某某县社会信用体系建设领导小组', docNumber: '某信用〔2026〕3号', year: 2026 })
  })

  it('takes the title from the top of the document, not from a plan its preamble quotes', () => {
    const text =
      '某市人民政府文件\n某政发〔2026〕1号\n某市人民政府关于加快社会信用体系建设的实施意见\n各县（市、区）：\n根据《社会信用体系建设规划纲要任务分工》，提出以下意见：'
    expect(planTitle(text)).toBe('某市人民政府关于加快社会信用体系建设的实施意见')
    expect(planTitle('关于印发《某县2026年社会信用体系建设工作要点》的通知\n各乡镇：')).toBe('某县2026年社会信用体系建设工作要点')
    expect(planTitle('各乡镇：\n现将《某县2026年社会信用体系建设工作要点》印发给你们，请认真贯彻落实。')).toBe(
      '某县2026年社会信用体系建设工作要点',
    )
  })

  it('finds every actionable item, parents and sub-items, and skips sections without units', () => {
    expect(plan.tasks.map((t) => t.path.join('/'))).toEqual(['二/1', '二/2', '二/2/(1)', '二/2/(2)', '二/4', '二/(一)'])
    expect(plan.tasks[0]).toMatchObject({ number: '1', title: '推进平台建设', section: '完善信用信息系统' })
    expect(plan.tasks[2]).toMatchObject({ number: '(1)', title: '行政许可信息公示', section: '规范双公示' })
  })

  it('assigns units to roles, with a role word reaching back over its group and brackets kept whole', () => {
    expect(plan.tasks[0]!.units).toEqual({ lead: ['县发展改革局'], responsible: [], cooperating: ['县数据局', '县财政局'] })
    expect(plan.tasks[1]!.units).toEqual({ lead: ['各乡（镇、街道）', '县直有关部门'], responsible: [], cooperating: [] })
    expect(plan.tasks[2]!.units).toEqual({ lead: ['县市场监管局'], responsible: ['县司法局'], cooperating: [] })
    expect(plan.tasks[3]!.units).toEqual({ lead: ['县市场监管局', '县税务局'], responsible: [], cooperating: ['县公安局', '县交通运输局'] })
    expect(plan.tasks[4]!.units).toEqual({ lead: ['县发展改革局'], responsible: ['各成员单位', '有关行业部门'], cooperating: [] })
  })

  it('resolves deadline phrases against the plan year and recognises recurring duties', () => {
    expect(plan.tasks.map((t) => [t.deadline, t.deadlineText, t.recurring])).toEqual([
      ['2026-12-31', '年底前', 'monthly:22'],
      ['2026-09-30', '10月前', null],
      [null, null, 'quarterly'],
      ['2026-06-30', '2026年6月底前', null],
      ['2026-06-30', '上半年', null],
      [null, null, null],
    ])
  })

  it('splits unit lists on any separator outside brackets and drops trailing 等', () => {
    expect(parseUnits('市信用办、市人社局等部门负责')).toEqual({ lead: ['市信用办', '市人社局'], responsible: [], cooperating: [] })
    expect(parseUnits('编委办(审改办)，民政局')).toEqual({ lead: [], responsible: ['编委办(审改办)', '民政局'], cooperating: [] })
  })

  it('keeps a non-date time phrase as the deadline text and never invents a date', () => {
    const p = parsePlan(
      '一、重点工作\n1. 加强诚信宣传。长期坚持，每年开展主题活动。（责任单位：县委宣传部）\n2. 开展专项治理。第三季度完成排查。（责任单位：县市场监管局）',
    )
    expect(p.tasks.map((t) => [t.deadline, t.deadlineText])).toEqual([
      [null, '长期坚持'],
      [null, '第三季度'],
    ])
  })

  it('reads a 任务分工表 in a .docx as numbered tasks', async () => {
    const cell = (t: string) => `<w:tc><w:p><w:r><w:t>${t}</w:t></w:r></w:p></w:tc>`
    const row = (cells: string[]) => `<w:tr>${cells.map(cell).join('')}</w:tr>`
    const table = `<w:tbl>${row(['序号', '工作任务', '责任单位', '完成时限'])}${row(['1', '完成信用平台升级', '县发展改革局牵头，县数据局配合', '2026年10月底'])}${row(['2', '开展诚信宣传月活动', '县委宣传部', '长期坚持'])}</w:tbl>`
    const zip = new JSZip()
    zip.file(
      'word/document.xml',
      `<w:document><w:body><w:p><w:r><w:t>某县2026年社会信用体系建设任务分工</w:t></w:r></w:p>${table}</w:body></w:document>`,
    )
    const path = join(tempDir(), '分工表.docx')
    writeFileSync(path, await zip.generateAsync({ type: 'nodebuffer' }))
    const p = parsePlan(await readPlanText(path))
    expect(
      p.tasks.map((t) => [t.path.join('/'), t.title, t.units.lead, t.units.cooperating, t.units.responsible, t.deadline, t.deadlineText]),
    ).toEqual([
      ['一/1', '完成信用平台升级', ['县发展改革局'], ['县数据局'], [], '2026-10-31', '2026年10月底前'],
      ['一/2', '开展诚信宣传月活动', [], [], ['县委宣传部'], null, '长期坚持'],
    ])
  })

  it('reads .docx paragraphs and prints JSON from the command line', async () => {
    const dir = tempDir()
    const zip = new JSZip()
    const paragraphs = PLAN.split('\n')
      .map((l) => `<w:p><w:r><w:t xml:space="preserve">${l.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</w:t></w:r></w:p>`)
      .join('')
    zip.file(
      'word/document.xml',
      `<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${paragraphs}</w:body></w:document>`,
    )
    const docx = join(dir, '工作要点.docx')
    writeFileSync(docx, await zip.generateAsync({ type: 'nodebuffer' }))
    expect(parsePlan(await readPlanText(docx)).tasks).toHaveLength(6)
    const lines: string[] = []
    expect(await main(['plan', 'parse', docx, '--json'], { log: (l) => lines.push(l), error: () => {} })).toBe(0)
    const json = JSON.parse(lines.join('\n'))
    expect(json).toMatchObject({ docNumber: '某信用〔2026〕3号', year: 2026 })
    expect(Object.keys(json.tasks[0]).sort()).toEqual([
      'deadline',
      'deadlineText',
      'number',
      'path',
      'recurring',
      'section',
      'title',
      'units',
    ])
    const pdf = join(dir, 'plan.pdf')
    writeFileSync(pdf, '%PDF-1.7 truncated')
    const errors: string[] = []
    expect(await main(['plan', 'parse', pdf], { log: () => {}, error: (l) => errors.push(l) })).toBe(1)
    expect(errors[0]).toContain('文件已损坏')
  })
})
