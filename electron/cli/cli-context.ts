// Opening the data folder for a command, as the app opens it (guards, migrations), and who a command acts as.
import { existsSync } from 'node:fs'
import { userInfo } from 'node:os'
import { join } from 'node:path'
import type { Knex } from 'knex'
import type { CatalogItem } from '../contract/schemas/catalog'
import { currentItem } from '../core/catalog/catalog'
import { AppError } from '../core/shared/app-error'
import { DB_FILE, openDatabase } from '../core/shared/open-database'
import { isSetupDone } from '../core/system/settings'
import { startupErrorMessage } from '../main/startup-error'

export type Out = { log(line: string): void; error(line: string): void }

/** Audit actor for command-line work: the operating-system account, since there is no app login. */
export function osActor(): string {
  return `os:${userInfo().username}`
}

/** Opens the data folder and finds the approved version of a catalog item, or explains why not. */
export async function withItem(
  dataDir: string,
  out: Out,
  code: string,
  fn: (db: Knex, item: CatalogItem) => Promise<number>,
  opts: { office?: boolean } = {},
): Promise<number> {
  return withDatabase(
    dataDir,
    out,
    async ({ db }) => {
      const item = await currentItem(db, code).catch(() => null)
      if (!item) {
        out.error(`没有已生效的目录事项 / no approved catalog item: ${code}`)
        return 1
      }
      return fn(db, item)
    },
    opts,
  )
}

/**
 * Opens the data folder. A folder without a database is refused unless the command may create one (a mistyped
 * --data-dir must not quietly become a new installation); `office` commands also need the office set up (a package
 * from an office with no name would go out with a blank sender).
 */
export async function withDatabase(
  dataDir: string,
  out: Out,
  fn: (opened: Awaited<ReturnType<typeof openDatabase>>) => Promise<number>,
  opts: { create?: boolean; office?: boolean; readOnly?: boolean } = {},
): Promise<number> {
  if (!opts.create && !existsSync(join(dataDir, DB_FILE))) {
    out.error(
      `数据目录 ${dataDir} 中没有信用通数据库（${DB_FILE}）：请检查 --data-dir 是否写错。确需在此新建时，运行 db migrate --create / no database in this folder`,
    )
    return 1
  }
  let opened: Awaited<ReturnType<typeof openDatabase>>
  try {
    opened = await openDatabase(dataDir, new Date(), { readOnly: opts.readOnly })
  } catch (err) {
    if (!(err instanceof AppError)) throw err
    const { title, body } = startupErrorMessage(err, dataDir)
    out.error(`${title}\n${body}`)
    return 1
  }
  try {
    if (opts.office && !(await isSetupDone(opened.db))) {
      out.error(
        '这个数据目录尚未完成初始设置（单位名称、行政区划代码、统一社会信用代码）：请先在桌面程序中完成设置，或用 demo seed 生成演示单位 / the office is not set up',
      )
      return 1
    }
    return await fn(opened)
  } finally {
    await opened.db.destroy()
  }
}
