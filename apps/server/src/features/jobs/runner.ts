import type { AppContext } from '../../context.ts'
import { AppError, toAppError } from '../../lib/errors.ts'
import { newId } from '../../lib/ids.ts'
import { CancelledError, type RunControl } from '../interchange/control.ts'
import {
  failAbandonedJobs,
  findJobRow,
  insertJobRow,
  updateJobRow,
  type JobRow,
  type NewJobRow,
} from './queries.ts'

/** What a job's task hands back: the summary shown with the job, and for exports the file. */
export type JobOutcome = {
  summary: Record<string, unknown>
  /** The finished file, whole or (a streamed export) as chunks stored while they come. */
  file?: {
    bytes: Uint8Array | AsyncIterable<Uint8Array>
    fileName: string
    mediaType: string
  }
}

export type JobTask = (control: RunControl) => Promise<JobOutcome>

export type JobProgress = { phase: string | null; done: number; total: number }

/** Progress is written at most this often (and on every change of phase): polls see it move without a write per item. */
const PROGRESS_WRITE_MS = 250
/** A running job touches its row this often, even in a long step that reports no progress. */
const HEARTBEAT_MS = 10_000
/**
 * On PostgreSQL several processes share the table, so at start-up only jobs silent for this
 * long are taken for dead: six missed heartbeats.
 */
const STALE_AFTER_MS = 60_000

type Active = {
  id: string
  controller: AbortController
  /** Set once an import starts writing; from then on it runs to its end. */
  writing: boolean
  progress: JobProgress
  lastWrite: number
  writes: Promise<void>
  settled: Promise<void>
}

/**
 * Runs this process's import and export jobs, one at a time. The machine has two cores and a
 * conversion is CPU work on the event loop, with an import's write going through the same live
 * documents that editors use: a second job at once would not finish sooner, would double the
 * peak memory, and would slow live editing further. Queued jobs wait in memory (their input is
 * the request body), so a restart loses them, and they are marked failed.
 */
export class JobRunner {
  readonly #ctx: AppContext
  readonly #queue: { id: string; task: JobTask }[] = []
  #active: Active | null = null
  #closed = false

  constructor(ctx: AppContext) {
    this.#ctx = ctx
  }

  /**
   * Marks jobs a dead process left queued or running as failed ("server restarted"). With
   * PGlite one process owns the database, so all of them; on PostgreSQL those gone silent.
   */
  async recover(): Promise<void> {
    const { database, logger } = this.#ctx
    const staleBefore = database.kind === 'pglite' ? null : new Date(Date.now() - STALE_AFTER_MS)
    const error = { code: 'internal', message: 'The server restarted before the job finished' }
    const failed = await failAbandonedJobs(database.db, staleBefore, error)
    if (failed > 0)
      logger.warn({ failed }, 'jobs left unfinished by a stopped server marked failed')
  }

  /** Records a queued job and starts it when the runner is free. */
  async submit(
    row: Pick<NewJobRow, 'projectId' | 'userId' | 'kind' | 'format'>,
    task: JobTask,
  ): Promise<JobRow> {
    if (this.#closed) throw new AppError('conflict', 'The server is stopping')
    const job = await insertJobRow(this.#ctx.database.db, { ...row, id: newId(), state: 'queued' })
    this.#queue.push({ id: job.id, task })
    this.#pump()
    return job
  }

  /** The live progress of a job running here (fresher than its row), or null. */
  progressOf(id: string): JobProgress | null {
    return this.#active?.id === id ? { ...this.#active.progress } : null
  }

  /**
   * Cancels a job: a queued one at once, a running one at its next cancellation point (waiting
   * for it to stop). `writing` when an import has started writing and so runs to its end;
   * `elsewhere` when the job is not in this process (finished, or run by another server).
   */
  async cancel(id: string): Promise<'cancelled' | 'writing' | 'elsewhere'> {
    const queued = this.#queue.findIndex((q) => q.id === id)
    if (queued >= 0) {
      this.#queue.splice(queued, 1)
      await updateJobRow(this.#ctx.database.db, id, { state: 'cancelled', finishedAt: new Date() })
      return 'cancelled'
    }
    const active = this.#active
    if (active?.id !== id) return 'elsewhere'
    if (active.writing) return 'writing'
    active.controller.abort()
    await active.settled
    return 'cancelled'
  }

  /** Stops taking jobs, fails the queued ones and waits for (or cancels) the running one. */
  async close(): Promise<void> {
    this.#closed = true
    const error = { code: 'internal', message: 'The server stopped before the job ran' }
    for (const { id } of this.#queue.splice(0)) {
      await updateJobRow(this.#ctx.database.db, id, {
        state: 'failed',
        error,
        finishedAt: new Date(),
      })
    }
    const active = this.#active
    if (!active) return
    if (!active.writing) active.controller.abort()
    await active.settled
  }

  #pump(): void {
    if (this.#active || this.#closed) return
    const next = this.#queue.shift()
    if (!next) return
    const active: Active = {
      id: next.id,
      controller: new AbortController(),
      writing: false,
      progress: { phase: null, done: 0, total: 0 },
      lastWrite: 0,
      writes: Promise.resolve(),
      settled: Promise.resolve(),
    }
    this.#active = active
    active.settled = this.#run(next.task, active).finally(() => {
      this.#active = null
      this.#pump()
    })
  }

  async #run(task: JobTask, active: Active): Promise<void> {
    const db = this.#ctx.database.db
    const log = this.#ctx.logger.child({ jobId: active.id })
    const heartbeat = setInterval(() => this.#write(active, {}), HEARTBEAT_MS)
    heartbeat.unref()
    const control: RunControl = {
      signal: active.controller.signal,
      progress: (phase, done, total) => {
        const changed = phase !== active.progress.phase
        active.progress = { phase, done, total }
        if (changed || Date.now() - active.lastWrite >= PROGRESS_WRITE_MS)
          this.#writeProgress(active)
      },
      beginWrite: () => {
        active.writing = true
      },
    }
    try {
      await updateJobRow(db, active.id, { state: 'running', startedAt: new Date() })
      // A task that returns has done its work, whether or not a cancel came after its last
      // check: the job succeeded, and that cancel is answered as too late.
      const outcome = await task(control)
      const file = outcome.file
      const stored = file
        ? {
            resultBlobHash:
              file.bytes instanceof Uint8Array
                ? await this.#ctx.blobs.put(file.bytes)
                : await this.#ctx.blobs.putStream(file.bytes),
            resultFileName: file.fileName,
            resultMediaType: file.mediaType,
          }
        : {}
      await active.writes
      await updateJobRow(db, active.id, {
        state: 'succeeded',
        summary: outcome.summary,
        ...stored,
        ...progressColumns(active.progress),
        finishedAt: new Date(),
      })
      log.info({ phase: active.progress.phase }, 'job succeeded')
    } catch (error) {
      await active.writes
      const cancelled = error instanceof CancelledError
      if (!cancelled && toAppError(error).status >= 500) {
        log.error({ err: error }, 'job failed')
      }
      await updateJobRow(db, active.id, {
        state: cancelled ? 'cancelled' : 'failed',
        error: cancelled ? null : errorJson(error),
        ...progressColumns(active.progress),
        finishedAt: new Date(),
      }).catch((writeError: unknown) => log.error({ err: writeError }, 'job state not saved'))
    } finally {
      clearInterval(heartbeat)
    }
  }

  #writeProgress(active: Active): void {
    active.lastWrite = Date.now()
    this.#write(active, progressColumns(active.progress))
  }

  /** Queues a write behind the job's earlier ones, so they land in order. */
  #write(active: Active, patch: Parameters<typeof updateJobRow>[2]): void {
    active.writes = active.writes
      .then(() => updateJobRow(this.#ctx.database.db, active.id, patch))
      .catch((error: unknown) => this.#ctx.logger.warn({ err: error }, 'job progress not saved'))
  }
}

function progressColumns(progress: JobProgress) {
  return { phase: progress.phase, progressDone: progress.done, progressTotal: progress.total }
}

/** The `{ code, message, details }` of a failure, as the synchronous route would answer. */
function errorJson(error: unknown): Record<string, unknown> {
  const appError = toAppError(error)
  if (appError.status < 500) {
    const { code, message, details } = appError
    return { code, message, ...(details ? { details } : {}) }
  }
  return { code: 'internal', message: 'The job failed; the error is logged' }
}

const runners = new WeakMap<AppContext, JobRunner>()

/** The job runner of this server (one per context, made on first use). */
export function jobRunner(ctx: AppContext): JobRunner {
  let runner = runners.get(ctx)
  if (!runner) {
    runner = new JobRunner(ctx)
    runners.set(ctx, runner)
  }
  return runner
}

/** At start-up: marks jobs a dead process left unfinished as failed. */
export function startJobs(ctx: AppContext): Promise<void> {
  return jobRunner(ctx).recover()
}

/** At shutdown, before the database closes. */
export function stopJobs(ctx: AppContext): Promise<void> {
  return runners.get(ctx)?.close() ?? Promise.resolve()
}

/** A job row, or 404. */
export async function requireJobRow(ctx: AppContext, id: string): Promise<JobRow> {
  const row = await findJobRow(ctx.database.db, id)
  if (!row) throw new AppError('not_found', 'Job not found')
  return row
}
