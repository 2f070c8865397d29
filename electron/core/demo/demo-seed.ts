// `demo seed`: fills a data folder with realistic generated data for demonstrations and
// benchmarks. Every generated record goes through the same checks and the same stored shape as
// typed or imported ones (valid check characters, dictionary values, dates in order); reporting
// delays are drawn so a share is late, and decision dates reach back far enough that some
// disclosure periods have ended. Later modules add their own generators here.
import dayjs from 'dayjs'
import type { Knex } from 'knex'
import { idCardCheckChar } from '../codes/idcard'
import { completeUscc } from '../codes/uscc'
import { currentItem } from '../catalog/catalog'
import { checkRecord } from '../catalog/record-check'
import { recordRow, type StoreContext } from '../catalog/records'
import type { IsoDate } from '../calendar/working-calendar'
import type { Clock } from '../shared/clock'
import { createUnit } from '../system/units'
import { createPerson } from '../archives/people'
import { addEntry } from '../archives/entries'
import type { EntryInput } from '../../contract/schemas/archives'

export interface SeedOptions {
  records: number
  people?: number
  /** Same seed, same data: demos and benchmark runs are repeatable. */
  seed: number
  today: IsoDate
  regionCode: string
}

export interface SeedSummary {
  units: { created: number; total: number }
  records: { total: number; byItem: Record<string, number>; late: number; naturalPersons: number; disclosureEnded: number }
  people: { total: number; entries: number; byGrade: Record<string, number> }
}

/** mulberry32: a small seeded generator for repeatable demo data (not for anything secret). */
function random(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const DEPARTMENTS = [
  '县市场监督管理局',
  '县卫生健康局',
  '县生态环境局',
  '县交通运输局',
  '县应急管理局',
  '县住房和城乡建设局',
  '县自然资源局',
  '县税务局',
  '县人力资源和社会保障局',
  '县农业农村局',
]
const PLACES = [
  '东华',
  '鑫源',
  '宏达',
  '瑞丰',
  '嘉禾',
  '恒信',
  '金桥',
  '润泽',
  '永盛',
  '华美',
  '天成',
  '博远',
  '兴隆',
  '盛世',
  '海纳',
  '福安',
]
const TRADES = ['商贸', '食品', '建材', '餐饮', '物流', '建筑工程', '农业开发', '医药', '环保科技', '汽车服务', '电子科技', '文化传媒']
const FORMS = ['有限公司', '有限责任公司', '股份有限公司', '经营部', '专业合作社']
const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高'
const GIVEN = ['伟', '芳', '娜', '秀英', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀兰', '霞']
const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY'
const VIOLATIONS = [
  ['未按规定明码标价', '《中华人民共和国价格法》第十三条', 'fine'],
  ['销售过期食品', '《中华人民共和国食品安全法》第一百二十四条', 'fine'],
  ['未依法取得许可从事经营活动', '《无证无照经营查处办法》第十三条', 'confiscate_income'],
  ['超标排放大气污染物', '《中华人民共和国大气污染防治法》第九十九条', 'fine'],
  ['未按规定开展安全生产教育培训', '《中华人民共和国安全生产法》第九十七条', 'warning'],
] as const
const LICENSES = [
  ['食品经营许可证', '预包装食品（含冷藏冷冻食品）销售，热食类食品制售', 'general'],
  ['排污许可证', '大气污染物、水污染物排放', 'general'],
  ['道路运输经营许可证', '道路普通货物运输', 'general'],
  ['建筑工程施工许可证', '住宅楼及配套工程施工', 'approval'],
] as const

export async function seedDemo(db: Knex, clock: Clock, ctx: StoreContext, opts: SeedOptions): Promise<SeedSummary> {
  const rnd = random(opts.seed)
  const pickOf = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!
  const region = opts.regionCode

  return db.transaction(async (trx) => {
    // The supplying departments, as a county has them.
    let created = 0
    const existing = new Map<string, number>(
      (await trx('org_units').select('id', 'name')).map((u: { id: number; name: string }) => [u.name, u.id]),
    )
    for (const [i, name] of DEPARTMENTS.entries()) {
      if (existing.has(name)) continue
      const body = `11${region}${String(30_000_000 + i * 1111)}` // 机关 (1-1), region, an 8-digit organisation-code body
      const id = await createUnit(trx, clock, {
        parentId: null,
        name,
        kind: 'county_dept',
        creditCode: completeUscc(body),
        regionCode: null,
        sortOrder: (i + 1) * 10,
      })
      existing.set(name, id)
      created++
    }
    const unitIds = DEPARTMENTS.map((n) => existing.get(n)!)

    const items = [await currentItem(trx, 'SGS_XK'), await currentItem(trx, 'SGS_CF')]
    const byItem: Record<string, number> = { SGS_XK: 0, SGS_CF: 0 }
    let late = 0
    let persons = 0
    let ended = 0
    const companyCode = (n: number, individual: boolean) => {
      let body = `${individual ? '92' : '91'}${region}`
      for (let i = 0, x = n * 7919 + opts.seed; i < 8; i++, x = Math.floor(x / 31)) body += USCC_CHARS[x % 31]
      return completeUscc(body)
    }
    const idNumber = () => {
      const birth = dayjs('1955-01-01')
        .add(Math.floor(rnd() * 45 * 365), 'day')
        .format('YYYYMMDD')
      const first17 = `${region}${birth}${String(Math.floor(rnd() * 1000)).padStart(3, '0')}`
      return first17 + idCardCheckChar(first17)
    }

    let pending: Array<ReturnType<typeof recordRow>> = []
    const flush = async () => {
      if (pending.length) await trx('records').insert(pending)
      pending = []
    }
    for (let n = 0; n < opts.records; n++) {
      const item = items[n % 3 === 0 ? 0 : 1]! // a county reports about twice as many penalties as licences
      const kind = rnd()
      const person = kind < 0.1
      const individual = !person && kind < 0.3
      const name = person
        ? pickOf([...SURNAMES]) + pickOf(GIVEN)
        : `${pickOf(PLACES)}${pickOf(TRADES)}${individual ? '经营部' : pickOf(FORMS)}`
      // Decisions over the last four years; most are reported within days, one in ten weeks later.
      const decided = dayjs(opts.today).subtract(1 + Math.floor(rnd() * 4 * 365), 'day')
      const delayed = decided.add(rnd() < 0.1 ? 15 + Math.floor(rnd() * 60) : Math.floor(rnd() * 6), 'day')
      const reported = delayed.isAfter(opts.today) ? dayjs(opts.today) : delayed
      const unitIndex = Math.floor(rnd() * DEPARTMENTS.length)
      const unit = DEPARTMENTS[unitIndex]!
      const unitCode = companyCode(900_000 + unitIndex, false)
      const subject = {
        XDR_MC: name,
        XDR_LB: person ? 'natural_person' : individual ? 'individual_business' : 'legal',
        XDR_SHXYM: person ? null : companyCode(n, individual),
        ZJHM: person ? idNumber() : null,
        // A legal person's 法定代表人 with an ID number: a sensitive item that is not the subject's own number.
        ...(!person && !individual ? { FRDB: pickOf([...SURNAMES]) + pickOf(GIVEN), FRDB_ZJLX: 'id_card', FRDB_ZJHM: idNumber() } : {}),
      }
      const d = decided.format('YYYY-MM-DD')
      const values: Record<string, string | number | null> =
        item.code === 'SGS_XK'
          ? (() => {
              const [title, content, category] = pickOf(LICENSES)
              return {
                ...subject,
                XK_XKWS: `${title}决定书`,
                XK_WSH: `${unit.slice(1, 3)}许〔${decided.year()}〕${n + 1}号`,
                XK_XKLB: category,
                XK_XKZS: title,
                XK_XKBH: `XK${decided.year()}${String(n + 1).padStart(7, '0')}`,
                XK_NR: content,
                XK_JDRQ: d,
                XK_YXQZ: d,
                XK_YXQZI: decided.add(5, 'year').format('YYYY-MM-DD'),
                XK_XKJG: unit,
                XK_XKJGDM: unitCode,
                XK_ZT: 'valid',
                XK_LYDW: unit,
                XK_LYDWDM: unitCode,
              }
            })()
          : (() => {
              const [act, basis, category] = pickOf(VIOLATIONS)
              const fine = category === 'warning' ? null : Math.round(rnd() * 500) / 100
              return {
                ...subject,
                CF_WSH: `${unit.slice(1, 3)}罚〔${decided.year()}〕${n + 1}号`,
                CF_WFXW: act,
                CF_SY: `经查，当事人存在${act}的行为。`,
                CF_YJ: basis,
                CF_CFLB: category,
                CF_NR: fine == null ? '警告' : `罚款人民币${fine}万元`,
                CF_NR_FK: fine,
                CF_JDRQ: d,
                CF_YXQ: decided.add(1, 'year').format('YYYY-MM-DD'),
                CF_CFJG: unit,
                CF_CFJGDM: unitCode,
                CF_SJLY: unit,
                CF_SJLYDM: unitCode,
              }
            })()
      const checked = checkRecord(item.fields, values, ctx)
      if (checked.issues.length) throw new Error(`generated record fails its checks: ${JSON.stringify(checked.issues)}`)
      const row = recordRow(
        item,
        checked.values,
        { supplierUnitId: unitIds[unitIndex]!, createdBy: null, batchId: null, now: clock.now() },
        { ...ctx, reportedOn: reported.format('YYYY-MM-DD') },
      )
      pending.push(row)
      byItem[item.code]!++
      if (row.is_late) late++
      if (person) persons++
      if (row.disclosure_ends_on && row.disclosure_ends_on <= opts.today) ended++
      if (pending.length >= 500) await flush()
    }
    await flush()
    return {
      units: { created, total: existing.size },
      records: { total: opts.records, byItem, late, naturalPersons: persons, disclosureEnded: ended },
      people: await seedPeople(trx, ctx, opts, rnd, unitIds, clock.now()),
    }
  })
}

const POSTS = [
  ['科员', '一级科员'],
  ['副科长', '四级主任科员'],
  ['科长', '二级主任科员'],
  ['副局长', '一级主任科员'],
  ['局长', '一级调研员'],
] as const
const POLITICAL = ['中共党员', '中共党员', '中共党员', '群众', '中共预备党员', '民主党派']

/** Civil servants of the seeded departments, each with the archive a county would have kept. */
async function seedPeople(
  db: Knex,
  ctx: StoreContext,
  opts: SeedOptions,
  rnd: () => number,
  unitIds: number[],
  now: number,
): Promise<SeedSummary['people']> {
  const count = opts.people ?? 0
  const pickOf = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!
  const thisYear = Number(opts.today.slice(0, 4))
  let entries = 0
  const used = new Set<string>()
  for (let n = 0; n < count; n++) {
    let idNumber: string
    do {
      const birth = dayjs('1965-01-01').add(Math.floor(rnd() * 32 * 365), 'day')
      const first17 = `${opts.regionCode}${birth.format('YYYYMMDD')}${String(Math.floor(rnd() * 1000)).padStart(3, '0')}`
      idNumber = first17 + idCardCheckChar(first17)
    } while (used.has(idNumber))
    used.add(idNumber)
    const birthYear = Number(idNumber.slice(6, 10))
    const entryYear = Math.min(thisYear - 1, birthYear + 22 + Math.floor(rnd() * 4))
    const [post, rank] = pickOf(POSTS)
    const name = pickOf([...SURNAMES]) + pickOf(GIVEN) + (rnd() < 0.5 ? pickOf(GIVEN) : '')
    const unitId = pickOf(unitIds)
    const issuer = (await db('org_units').where('id', unitId).first('name'))!.name
    const personId = await createPerson(
      db,
      ctx.keys,
      {
        name,
        idNumber,
        unitId,
        post,
        rank,
        politicalStatus: pickOf(POLITICAL),
        entryDate: `${entryYear}-07-01`,
        status: 'serving',
        statusDate: null,
        userId: null,
      },
      null,
      now,
      opts.today,
    )
    // Entries go through the same checks as typed ones (service years, dates, results) and regrade.
    const add = async (e: Omit<EntryInput, 'personId'>) => {
      await addEntry(db, { personId, ...e }, null, now, opts.today)
      entries++
    }
    // The last five annual assessments, mostly 称职, some 优秀, rarely 基本称职.
    for (let y = Math.max(entryYear + 1, thisYear - 5); y < thisYear; y++) {
      const r = rnd()
      const result = r < 0.2 ? 'excellent' : r < 0.97 ? 'competent' : 'basically_competent'
      await add({
        kind: 'assessment',
        year: y,
        result,
        title: `${y}年度考核`,
        docNumber: `${issuer.slice(1, 3)}人〔${y + 1}〕${1 + (n % 40)}号`,
        docDate: `${y + 1}-01-${String(10 + (n % 15)).padStart(2, '0')}`,
        issuer,
        details: null,
        effectUntil: null,
      })
    }
    await add({
      kind: 'personal_report',
      year: thisYear - 1,
      result: rnd() < 0.95 ? 'truthful' : 'omitted',
      title: `${thisYear - 1}年个人有关事项报告查核`,
      docNumber: null,
      docDate: `${thisYear - 1}-11-15`,
      issuer: '县委组织部',
      details: null,
      effectUntil: null,
    })
    if (rnd() < 0.15)
      await add({
        kind: 'award',
        year: thisYear - 1,
        result: null,
        title: '嘉奖',
        docNumber: `县政人〔${thisYear - 1}〕${n + 1}号`,
        docDate: `${thisYear - 1}-12-20`,
        issuer: '县人民政府',
        details: null,
        effectUntil: null,
      })
    if (rnd() < 0.05) {
      const decided = dayjs(opts.today).subtract(30 + Math.floor(rnd() * 900), 'day')
      const sanction = pickOf(['warning', 'warning', 'demerit', 'major_demerit', 'demotion'] as const)
      await add({
        kind: 'violation',
        year: null,
        result: sanction,
        title: pickOf(['违反工作纪律', '违规收受礼金', '违反中央八项规定精神']),
        docNumber: `县纪〔${decided.year()}〕${n + 1}号`,
        docDate: decided.format('YYYY-MM-DD'),
        issuer: '县纪委监委',
        details: null,
        effectUntil: decided.add(18, 'month').format('YYYY-MM-DD'),
      })
    }
  }
  const byGrade: Record<string, number> = {}
  for (const r of (await db('people').groupBy('grade').select('grade').count({ n: '*' })) as Array<{ grade: string; n: number }>)
    byGrade[r.grade] = Number(r.n)
  return { total: count, entries, byGrade }
}
