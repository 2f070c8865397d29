import { reactive } from 'vue'
import type { ZodType } from 'zod'
import { ErrorCode, type FieldIssue } from '../../../electron/contract'
import { fieldMessage } from '../../../electron/contract/messages.zh-CN'
import { ApiError, presentError } from '../api/client'

/**
 * Field-level errors for a form, from two sources that speak the same message keys: the contract's
 * zod schema checked before sending, and the field issues main returns (check characters, policies).
 */
export function useFieldErrors() {
  const errors = reactive<Record<string, string>>({})

  function clear(): void {
    for (const key of Object.keys(errors)) delete errors[key]
  }

  function show(issues: FieldIssue[]): void {
    for (const issue of issues) errors[issue.path] ??= fieldMessage(issue.message, issue.params)
  }

  /** Checks the model against the contract's input schema; shows problems and returns false if any. */
  function check(schema: ZodType, model: unknown): boolean {
    clear()
    const result = schema.safeParse(model)
    if (!result.success) show(result.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })))
    return result.success
  }

  /** Runs a call; field issues go next to their fields, any other failure becomes a message. */
  async function submit<T>(run: () => Promise<T>): Promise<T | undefined> {
    try {
      return await run()
    } catch (err) {
      const fields = err instanceof ApiError && err.code === ErrorCode.Validation ? err.error.details?.fields : undefined
      if (fields?.length) show(fields)
      else presentError(err)
      return undefined
    }
  }

  return { errors, clear, check, submit, show }
}
