// The jobs one backend keeps for its windows (record imports, package exports and imports). A job belongs to the
// window and user that started it: anyone else asking for its id is told there is no such job. Finished jobs are
// forgotten an hour later.
import { ErrorCode } from '../contract/errors'
import { AppError } from '../core/shared/app-error'

export interface JobOwner {
  senderId: string
  userId: number
  username: string
}

export interface OwnedJob {
  owner: JobOwner
  /** When the job ended (ms), or null while it runs. */
  finishedAt: number | null
}

const KEEP_FINISHED_MS = 3600_000

export class JobRegistry<J extends OwnedJob> {
  private readonly jobs = new Map<string, J>()

  constructor(
    private readonly now: () => number,
    /** What the not-found error says (internal text; the renderer shows the code). */
    private readonly what: string,
  ) {}

  add(id: string, job: J): J {
    this.sweep()
    this.jobs.set(id, job)
    return job
  }

  /** The owner's job; someone else's is as good as none (ids are not shared between windows or users). */
  find(owner: JobOwner, id: string): J {
    const job = this.jobs.get(id)
    if (!job || job.owner.senderId !== owner.senderId || job.owner.userId !== owner.userId)
      throw new AppError(ErrorCode.NotFound, `no such ${this.what}`)
    return job
  }

  all(): J[] {
    return [...this.jobs.values()]
  }

  private sweep(): void {
    const now = this.now()
    for (const [id, job] of this.jobs) if (job.finishedAt != null && now - job.finishedAt > KEEP_FINISHED_MS) this.jobs.delete(id)
  }
}
