import { ErrorCode, type FieldIssue } from '../../contract/errors'

/** The only error core throws on purpose. `message` is for developers; users see text chosen by `code`. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message)
    this.name = 'AppError'
  }
}

/** A validation failure tied to input fields, shown next to those fields in the form. */
export function fieldError(fields: FieldIssue[]): AppError {
  return new AppError(ErrorCode.Validation, `invalid fields: ${fields.map((f) => f.path).join(', ')}`, { fields })
}
