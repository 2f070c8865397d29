// Counts `as` type assertions (excluding `as const`) in electron/ and db/ TypeScript, using the TS parser.
// Each one is a place the compiler was told rather than shown; tests/lint/casts.test.ts keeps the total down.
import ts from 'typescript'
import { readFileSync } from 'node:fs'
import { execSync } from 'node:child_process'
const files = execSync('git ls-files electron db', { encoding: 'utf8' })
  .split('\n')
  .filter((f) => f.endsWith('.ts'))
let total = 0
const per = {}
for (const f of files) {
  const sf = ts.createSourceFile(f, readFileSync(f, 'utf8'), ts.ScriptTarget.Latest, true)
  let n = 0
  const visit = (node) => {
    if (ts.isAsExpression(node)) {
      const t = node.type
      const isConst = ts.isTypeReferenceNode(t) && t.typeName.getText(sf) === 'const'
      if (!isConst) n++
    }
    ts.forEachChild(node, visit)
  }
  visit(sf)
  if (n) per[f] = n
  total += n
}
if (process.argv.includes('--json')) console.log(JSON.stringify({ total, per }))
else {
  console.log('total', total)
  for (const [f, n] of Object.entries(per).sort((a, b) => b[1] - a[1])) console.log(n, f)
}
