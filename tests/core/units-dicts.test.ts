import { describe, expect, it } from 'vitest'
import { ErrorCode } from '../../electron/contract/errors'
import { createDictType, listDictItems, saveDictItem } from '../../electron/core/system/dictionaries'
import { createUnit, deleteUnit, listUnits, updateUnit } from '../../electron/core/system/units'
import { manualClock } from '../../electron/core/shared/clock'
import { freshDb } from '../helpers'

const clock = manualClock()
const unit = (name: string, parentId: number | null = null, extra = {}) => ({
  parentId,
  name,
  kind: 'county_dept' as const,
  creditCode: null,
  regionCode: null,
  sortOrder: 0,
  ...extra,
})

describe('organisation units', () => {
  it('builds a tree and keeps sibling names unique', async () => {
    const { db } = await freshDb()
    const fgw = await createUnit(db, clock, unit('县发展和改革局'))
    await createUnit(db, clock, unit('价格监测中心', fgw, { kind: 'other' }))
    const err = await createUnit(db, clock, unit('县发展和改革局')).catch((e) => e)
    expect(err.details.fields).toEqual([{ path: 'name', message: 'unit.nameTaken' }])
    await createUnit(db, clock, unit('价格监测中心')) // same name elsewhere in the tree is fine
    expect((await listUnits(db)).map((u) => u.name)).toHaveLength(3)
  })

  it('validates a unit USCC and a township code', async () => {
    const { db } = await freshDb()
    const err = await createUnit(
      db,
      clock,
      unit('某镇', null, { kind: 'township', creditCode: '11350102MB0000000X', regionCode: '35010210' }),
    ).catch((e) => e)
    expect(err.details.fields.map((f: { path: string }) => f.path)).toEqual(['creditCode', 'regionCode'])
  })

  it('refuses to move a unit under its own descendant', async () => {
    const { db } = await freshDb()
    const a = await createUnit(db, clock, unit('甲'))
    const b = await createUnit(db, clock, unit('乙', a))
    const err = await updateUnit(db, clock, { ...unit('甲', b), id: a, enabled: true }).catch((e) => e)
    expect(err.details.fields).toEqual([{ path: 'parentId', message: 'unit.cycle' }])
  })

  it('deletes only units nothing refers to', async () => {
    const { db } = await freshDb()
    const a = await createUnit(db, clock, unit('甲'))
    const b = await createUnit(db, clock, unit('乙', a))
    await expect(deleteUnit(db, a)).rejects.toMatchObject({ code: ErrorCode.UnitInUse })
    await deleteUnit(db, b)
    await deleteUnit(db, a)
    expect(await listUnits(db)).toEqual([])
  })
})

describe('dictionaries', () => {
  it('adds items, refuses duplicates and keeps stored values fixed', async () => {
    const { db } = await freshDb()
    await createDictType(db, { code: 'task_type', name: '任务类型', description: null })
    const id = await saveDictItem(db, { typeCode: 'task_type', value: 'key', label: '重点任务', sortOrder: 10, enabled: true })
    await expect(
      saveDictItem(db, { typeCode: 'task_type', value: 'key', label: '重复', sortOrder: 20, enabled: true }),
    ).rejects.toMatchObject({
      details: { fields: [{ path: 'value', message: 'dict.valueTaken' }] },
    })
    await expect(
      saveDictItem(db, { typeCode: 'task_type', id, value: 'changed', label: 'x', sortOrder: 0, enabled: true, aliases: [] }),
    ).rejects.toMatchObject({
      details: { fields: [{ path: 'value', message: 'dict.valueFixed' }] },
    })
    await saveDictItem(db, {
      typeCode: 'task_type',
      id,
      value: 'key',
      label: '重点工作',
      sortOrder: 5,
      enabled: false,
      aliases: ['重点任务', ' 重点工作 '],
    })
    // The entry's own label is not kept as an alias of itself.
    expect(await listDictItems(db, 'task_type')).toEqual([
      { id, value: 'key', label: '重点工作', sortOrder: 5, enabled: false, aliases: ['重点任务'] },
    ])
  })
})
