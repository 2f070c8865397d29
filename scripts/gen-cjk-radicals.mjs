// Prints the PAIRS string of electron/core/shared/cjk-radicals.ts from the UCD file (Debian package unicode-data).
import { readFileSync } from 'node:fs'
const file = process.argv[2] ?? '/usr/share/unicode/EquivalentUnifiedIdeograph.txt'
let pairs = ''
for (const line of readFileSync(file, 'utf8').split('\n')) {
  const m = line.match(/^([0-9A-F]+)(?:\.\.([0-9A-F]+))?\s*;\s*([0-9A-F]+)/)
  if (!m) continue
  const from = parseInt(m[1], 16)
  const to = m[2] ? parseInt(m[2], 16) : from
  for (let c = from; c <= to; c++) pairs += String.fromCodePoint(c) + String.fromCodePoint(parseInt(m[3], 16))
}
console.log(JSON.stringify(pairs))
