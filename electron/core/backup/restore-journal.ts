// A restore swaps folders with two renames. Between them the data folder does not exist; the journal, written before
// the first rename, names the verified folder waiting to take its place, so the next start can finish the swap.
import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs'

export const restoreJournal = (dataDir: string) => `${dataDir}.restore-journal.json`

/**
 * Finishes a swap a kill interrupted (no data folder, the staged one present); otherwise removes what a restore that
 * never reached its swap left behind. Run before a data folder is opened.
 */
export function recoverInterruptedRestore(dataDir: string): 'completed' | 'cleaned' | null {
  const journal = restoreJournal(dataDir)
  if (!existsSync(journal)) return null
  const { staged }: { staged: string } = JSON.parse(readFileSync(journal, 'utf8'))
  let outcome: 'completed' | 'cleaned' = 'cleaned'
  if (!existsSync(dataDir) && existsSync(staged)) {
    renameSync(staged, dataDir)
    outcome = 'completed'
  } else rmSync(staged, { recursive: true, force: true })
  rmSync(journal, { force: true })
  return outcome
}
