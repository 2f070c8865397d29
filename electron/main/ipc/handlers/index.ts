// Every procedure's handler, one file per module. Each file must cover its prefixes (HandlersOf), and this object
// must cover every procedure (Handlers): a procedure without a handler does not compile.
import type { Handlers } from '../context'
import { archiveHandlers, peopleHandlers } from './archives'
import { auditHandlers } from './audit'
import { backupHandlers } from './backup'
import { authHandlers } from './auth'
import { catalogHandlers } from './catalog'
import { caseHandlers, checkHandlers, commitmentHandlers, listHandlers, reportHandlers } from './credit'
import { exchangeHandlers } from './exchange'
import { monthlyHandlers } from './monthly'
import { recordHandlers } from './records'
import { letterHandlers, planHandlers, supervisionHandlers, taskHandlers } from './supervision'
import { systemHandlers } from './system'

export const handlers: Handlers = {
  ...authHandlers,
  ...systemHandlers,
  ...auditHandlers,
  ...backupHandlers,
  ...catalogHandlers,
  ...recordHandlers,
  ...monthlyHandlers,
  ...peopleHandlers,
  ...archiveHandlers,
  ...planHandlers,
  ...taskHandlers,
  ...letterHandlers,
  ...supervisionHandlers,
  ...exchangeHandlers,
  ...listHandlers,
  ...checkHandlers,
  ...caseHandlers,
  ...commitmentHandlers,
  ...reportHandlers,
}
