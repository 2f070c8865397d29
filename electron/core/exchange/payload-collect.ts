// What an import keeps of a decrypted payload: each entry hashed and listed, the manifest, and the rows of each table.
// Runs inside the parse worker (core/untrusted/payload-in-worker.ts): a hostile payload — signed by a compromised key,
// say — costs that worker, never the app.
import { sm3Digest } from './gm'
import { manifestEntry, payloadReader, type Manifest, type PayloadReader } from './payload'

export interface CollectedPayload {
  tables: Record<string, Array<Record<string, unknown>>>
  manifest: Manifest | null
  seen: Manifest['entries']
  /** `attachments/<sm3>` entries (the scans an archive transfer carries), as they came. */
  files: Record<string, Uint8Array>
}

/** A reader that collects the payload; more than `maxBytes` of entries in all is an error (the import's cap). */
export function payloadCollector(maxBytes: number): { reader: PayloadReader; result: () => CollectedPayload } {
  const tables: CollectedPayload['tables'] = {}
  const seen: Manifest['entries'] = []
  const files: CollectedPayload['files'] = {}
  let manifest: Manifest | null = null
  let held = 0
  const reader = payloadReader((name, data, coding) => {
    if ((held += data.length) > maxBytes) throw new Error('payload too large to import')
    seen.push(manifestEntry(name, data.length, sm3Digest(data).toString('hex'), coding))
    if (name === 'manifest.json') manifest = JSON.parse(data.toString('utf8')) as Manifest
    else if (name.startsWith('tables/') && name.endsWith('.ndjson')) {
      const rows = (tables[name.split('/')[1]!] ??= [])
      for (const line of data.toString('utf8').split('\n')) if (line) rows.push(JSON.parse(line) as Record<string, unknown>)
    } else if (name.startsWith('attachments/')) files[name] = new Uint8Array(data)
  })
  return { reader, result: () => ({ tables, manifest, seen, files }) }
}
