import { ErrorCode } from '../../contract/errors'
import { AppError } from '../shared/app-error'
import type { LimitName } from './limits'

/** A file refused for going past one of the limits in limits.ts; the message names the limit and its value. */
export function limitExceeded(limit: LimitName, max: number, extra: Record<string, unknown> = {}): AppError {
  return new AppError(ErrorCode.ImportFileRejected, `file exceeds the ${limit} limit (${max})`, { reason: 'limit', limit, max, ...extra })
}
