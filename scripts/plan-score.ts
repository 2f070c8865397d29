// Scores the plan parser against hand-checked decompositions (default: ../shared/fixtures/plans):
// task F1 (by path), unit F1 (path, role, unit triples), deadline accuracy over matched tasks.
//   npx tsx scripts/plan-score.ts [DIR] [--verbose] [--via-pdf]
// --via-pdf prints each text to an A4 PDF in Debian's Chromium first and reads it back through the app's PDF reader
// (line wraps, page breaks and the PDF text layer's quirks included).
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { chromium, type Browser } from '@playwright/test'
import { parsePlan, type PlanTask } from '../electron/core/supervision/plan-parser'
import { readPlanText } from '../electron/core/supervision/plan-text'

const args = process.argv.slice(2)
const verbose = args.includes('--verbose')
const viaPdf = args.includes('--via-pdf')
let browser: Browser | undefined

async function planText(file: string): Promise<string> {
  const text = readFileSync(file, 'utf8')
  if (!viaPdf) return text
  browser ??= await chromium.launch({ executablePath: '/usr/bin/chromium' })
  const page = await browser.newPage()
  const html = text.replace(/&/g, '&amp;').replace(/</g, '&lt;')
  await page.setContent(`<pre style="white-space:pre-wrap;font:16px 'Noto Serif CJK SC',serif">${html}</pre>`)
  const pdf = join(mkdtempSync(join(tmpdir(), 'plan-pdf-')), 'plan.pdf')
  await page.pdf({ path: pdf, format: 'A4', margin: { top: '25mm', bottom: '25mm', left: '28mm', right: '26mm' } })
  await page.close()
  return readPlanText(pdf)
}
const dir = resolve(args.find((a) => !a.startsWith('--')) ?? join(__dirname, '../../shared/fixtures/plans'))
if (!existsSync(dir)) {
  console.error(`no fixtures at ${dir}`)
  process.exit(2)
}

const f1 = (tp: number, got: number, want: number) => (got + want === 0 ? 1 : (2 * tp) / (got + want))
type Expected = { issuer: string; docNumber: string; year: number; tasks: PlanTask[] }

async function main(): Promise<void> {
  let totals = { tp: 0, got: 0, want: 0, utp: 0, ugot: 0, uwant: 0, dok: 0, dn: 0 }
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.txt'))
    .sort()) {
    const expected = JSON.parse(readFileSync(join(dir, file.replace(/\.txt$/, '.expected.json')), 'utf8')) as Expected
    const parsed = parsePlan(await planText(join(dir, file)))
    const key = (t: { path: string[] }) => t.path.join('/')
    const want = new Map(expected.tasks.map((t) => [key(t), t]))
    const got = new Map(parsed.tasks.map((t) => [key(t), t]))
    const matched = [...got.keys()].filter((k) => want.has(k))
    const triples = (ts: Iterable<PlanTask>) =>
      new Set(
        [...ts].flatMap((t) =>
          (['lead', 'responsible', 'cooperating'] as const).flatMap((r) => t.units[r].map((u) => `${key(t)}|${r}|${u}`)),
        ),
      )
    const wantU = triples(want.values())
    const gotU = triples(got.values())
    const utp = [...gotU].filter((u) => wantU.has(u)).length
    const dok = matched.filter((k) => got.get(k)!.deadline === want.get(k)!.deadline).length
    const s = { tp: matched.length, got: got.size, want: want.size, utp, ugot: gotU.size, uwant: wantU.size, dok, dn: matched.length }
    totals = Object.fromEntries(Object.entries(totals).map(([k, v]) => [k, v + s[k as keyof typeof s]])) as typeof totals
    const head = `${parsed.issuer === expected.issuer ? '' : `issuer ${parsed.issuer} ≠ ${expected.issuer}; `}${parsed.docNumber === expected.docNumber ? '' : `docNumber ${parsed.docNumber}; `}${parsed.year === expected.year ? '' : `year ${parsed.year} ≠ ${expected.year}`}`
    console.log(
      `${file}: tasks F1 ${f1(s.tp, s.got, s.want).toFixed(3)} (${s.tp}/${s.got} found, ${s.want} expected), units F1 ${f1(utp, s.ugot, s.uwant).toFixed(3)}, deadlines ${dok}/${s.dn} ${head}`,
    )
    if (verbose) {
      for (const k of want.keys()) if (!got.has(k)) console.log(`  missing ${k} ${want.get(k)!.title}`)
      for (const k of got.keys()) if (!want.has(k)) console.log(`  extra   ${k} ${got.get(k)!.title}`)
      for (const u of wantU) if (!gotU.has(u)) console.log(`  unit missing ${u}`)
      for (const u of gotU) if (!wantU.has(u)) console.log(`  unit extra   ${u}`)
      for (const k of matched)
        if (got.get(k)!.deadline !== want.get(k)!.deadline)
          console.log(
            `  deadline ${k}: ${got.get(k)!.deadline} (${got.get(k)!.deadlineText}) ≠ ${want.get(k)!.deadline} (${want.get(k)!.deadlineText})`,
          )
    }
  }
  console.log(
    `all: task F1 ${f1(totals.tp, totals.got, totals.want).toFixed(3)}, unit F1 ${f1(totals.utp, totals.ugot, totals.uwant).toFixed(3)}, deadline accuracy ${(totals.dok / Math.max(totals.dn, 1)).toFixed(3)}`,
  )
  await browser?.close()
}

void main()
