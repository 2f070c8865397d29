// A demo data folder that works like a real one: an office identity (name, region, a valid USCC) and one account per
// role, each with a one-time password (changed at first login), so it opens in the app past the setup wizard and
// works on the command line.
import type { Knex } from 'knex'
import { Role } from '../../contract/roles'
import { createUser } from '../accounts/user-admin'
import { generatePassword } from '../security/password-policy'
import type { Clock } from '../shared/clock'
import { completeUscc } from '../codes/uscc'
import { completeSetup } from '../system/setup'

/** A 机关 USCC (11…) for the region, with a valid embedded organisation code and check character. */
function demoOfficeCode(regionCode: string): string {
  return completeUscc(`11${regionCode}${`MB${regionCode.slice(0, 6)}`.slice(0, 8)}`)
}

export interface DemoAccount {
  username: string
  roles: Role[]
  password: string
}

/** Sets up the demo office with its accounts; returns them with their one-time passwords. */
export async function setUpDemoOffice(db: Knex, clock: Clock, regionCode: string): Promise<DemoAccount[]> {
  const accounts: DemoAccount[] = [
    { username: 'admin', roles: [Role.Admin], password: generatePassword() },
    { username: 'clerk', roles: [Role.Clerk], password: generatePassword() },
    { username: 'supervisor', roles: [Role.Supervisor], password: generatePassword() },
    { username: 'auditor', roles: [Role.Auditor], password: generatePassword() },
  ]
  const [admin, ...others] = accounts
  const adminId = await completeSetup(db, clock, {
    orgName: '演示县社会信用体系建设领导小组办公室',
    regionCode,
    orgCreditCode: demoOfficeCode(regionCode),
    adminUsername: admin!.username,
    adminDisplayName: '演示管理员',
    adminPassword: admin!.password,
  })
  await db('users').where('id', adminId).update({ must_change_password: true }) // one-time, like the others
  const names: Record<string, string> = { clerk: '演示业务人员', supervisor: '演示审核人员', auditor: '演示审计员' }
  for (const a of others)
    await createUser(db, clock, {
      username: a.username,
      displayName: names[a.username]!,
      roles: a.roles,
      unitId: null,
      archiveScope: 'all',
      initialPassword: a.password,
    })
  return accounts
}
