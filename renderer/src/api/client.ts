import { ElMessage } from 'element-plus'
import { ErrorCode, type Input, type IpcError, type Output, type ProcedureName } from '../../../electron/contract'
import { errorText } from '../locales/zh-CN/errors'

/** A failed call as the renderer sees it: the stable code from main plus its details. */
export class ApiError extends Error {
  constructor(readonly error: IpcError) {
    super(error.code)
    this.name = 'ApiError'
  }
  get code() {
    return this.error.code
  }
}

type SessionListener = (code: ErrorCode) => void
let onSessionProblem: SessionListener = () => {}

/** The session store listens here so any call that finds the session gone or locked updates the UI. */
export function setSessionListener(listener: SessionListener): void {
  onSessionProblem = listener
}

const SESSION_CODES: ErrorCode[] = [ErrorCode.NotAuthenticated, ErrorCode.SessionLocked, ErrorCode.PasswordChangeRequired]

export async function call<N extends ProcedureName>(name: N, input: Input<N>): Promise<Output<N>> {
  // Reactive proxies cannot cross the structured clone of IPC; send plain JSON data.
  const plain = JSON.parse(JSON.stringify(input ?? {})) as Input<N>
  const envelope = await window.api[name](plain)
  if (envelope.ok) return envelope.data
  if (SESSION_CODES.includes(envelope.error.code) && name !== 'auth:login') onSessionProblem(envelope.error.code)
  throw new ApiError(envelope.error)
}

/** Shows a failed call as a Chinese message (field errors are shown by the form instead). */
export function presentError(err: unknown): void {
  ElMessage.error({
    message: err instanceof ApiError ? errorText(err.error) : errorText({ code: ErrorCode.Internal, message: String(err) }),
    grouping: true,
  })
}
