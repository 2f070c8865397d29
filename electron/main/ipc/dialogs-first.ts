// A transaction never waits for a person. Audited procedures run in one transaction with their audit row, and some
// ask for a file on the way. Inside the transaction the dialogs are not shown: the first one asked stops the attempt
// (nothing written yet survives: the transaction rolls back), the router shows it with no transaction open, and runs
// the handler again with that answer ready. Handlers keep their simple order (read, ask, write) and never hold the
// single database connection while a dialog is open.
import type { OpenFileRequest, Platform, SaveFileRequest } from '../platform'

export class DialogNeeded extends Error {
  constructor(readonly ask: (platform: Platform) => Promise<string | null>) {
    super('dialog needed before the transaction')
  }
}

/** The platform a handler sees inside the transaction: dialogs answered from `answers`, in the order asked. */
export function answeredPlatform(real: Platform, answers: Array<string | null>): Platform {
  let asked = 0
  const dialog = (show: (p: Platform) => Promise<string | null>) => {
    if (asked < answers.length) return Promise.resolve(answers[asked++]!)
    throw new DialogNeeded(show)
  }
  return {
    chooseSavePath: (request: SaveFileRequest) => dialog((p) => p.chooseSavePath(request)),
    chooseOpenPath: (request: OpenFileRequest) => dialog((p) => p.chooseOpenPath(request)),
    printToPdf: (senderId, path) => real.printToPdf(senderId, path),
  }
}
