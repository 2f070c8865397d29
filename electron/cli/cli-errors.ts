// Whatever stops a command is said in Chinese: a file that is not there or is a folder, no permission, a full disk,
// a database that is busy or damaged, an unknown option, or a refused operation. The system's own words follow after
// " / " for whoever reads the log.
import { statSync } from 'node:fs'
import { resultText } from '../contract/labels.zh-CN'
import { AppError } from '../core/shared/app-error'

const FILE_ERRORS: Record<string, string> = {
  ENOENT: '找不到文件或目录',
  EISDIR: '这是一个目录，需要的是文件',
  ENOTDIR: '路径中有一段不是目录',
  EACCES: '没有权限访问',
  EPERM: '没有权限访问',
  EEXIST: '文件已存在',
  ENOSPC: '磁盘空间不足',
  EROFS: '磁盘是只读的',
  EBUSY: '文件正被其他程序使用',
  EMFILE: '打开的文件太多',
  ENAMETOOLONG: '路径太长',
}

const SQLITE_ERRORS: Record<string, string> = {
  SQLITE_BUSY: '数据库正被其他程序使用，请关闭信用通桌面程序或其他命令后再试',
  SQLITE_LOCKED: '数据库正被其他程序使用，请关闭信用通桌面程序或其他命令后再试',
  SQLITE_CORRUPT: '数据库文件已损坏，请从备份恢复（backup restore）',
  SQLITE_NOTADB: '这不是信用通数据库文件，或文件已损坏',
  SQLITE_READONLY: '数据库文件是只读的，请检查数据目录的权限',
  SQLITE_FULL: '磁盘空间不足，数据库无法写入',
  SQLITE_CANTOPEN: '无法打开数据库文件，请检查 --data-dir 是否正确',
  SQLITE_CONSTRAINT: '数据与已有记录冲突，未写入',
  SQLITE_IOERR: '读写数据库文件时出错（磁盘或 U 盘故障？）',
}

export function cliErrorText(err: unknown): string {
  const e = err as { code?: unknown; path?: unknown; message?: unknown } | null
  const code = typeof e?.code === 'string' ? e.code : ''
  const raw = err instanceof Error ? err.message : String(err)
  if (err instanceof AppError) return `${resultText(err.code).replace(/^(失败|被拒绝)：/, '')} / ${raw}`
  if (FILE_ERRORS[code]) return `${FILE_ERRORS[code]}${typeof e?.path === 'string' ? `：${e.path}` : ''} / ${raw}`
  const sqlite = Object.keys(SQLITE_ERRORS).find((c) => code === c || raw.includes(c))
  if (sqlite) return `${SQLITE_ERRORS[sqlite]} / ${raw}`
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `未知参数，请用 --help 查看用法 / ${raw}`
  if (code.startsWith('ERR_PARSE_ARGS')) return `参数有误，请用 --help 查看用法 / ${raw}`
  return `命令未能完成（程序内部错误，请把下面的英文信息告诉技术支持） / ${raw}`
}

/** The input file a command names exists and is a file (throws the system's ENOENT, or EISDIR for a folder). */
export function requireInputFile(path: string): void {
  if (statSync(path).isDirectory())
    throw Object.assign(new Error(`EISDIR: illegal operation on a directory, read '${path}'`), { code: 'EISDIR', path })
}
