// The workstation a row of the audit trail was written on: this PC's host name and the OS account running the app
// (or the command line). Read once; an account the OS cannot name is written as such rather than failing the write.
import { hostname, userInfo } from 'node:os'

let cached: string | null = null

export function thisWorkstation(): string {
  if (cached === null) {
    let account: string
    try {
      account = userInfo().username
    } catch {
      account = '未知账户'
    }
    cached = `${hostname()}（${account}）`
  }
  return cached
}
