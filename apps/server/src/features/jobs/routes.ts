import { FORMAT_NAMES } from '@concord/shared/formats/index'
import { Hono } from 'hono'
import { z } from 'zod'
import { requireUser } from '../../auth/middleware.ts'
import { requireProjectRole, roleAtLeast } from '../../auth/roles.ts'
import { AppError } from '../../lib/errors.ts'
import type { AppEnv } from '../../lib/hono-env.ts'
import { parseWith, readJson } from '../../lib/validate.ts'
import { requireFormat } from '../interchange/service.ts'
import { listJobRows } from './queries.ts'
import { jobRunner, requireJobRow } from './runner.ts'
import { requireJobAccess, submitExport, toJob } from './service.ts'
import { requireKnownOptions } from '../interchange/routes.ts'

export const exportJobBodySchema = z.object({
  format: z.enum(FORMAT_NAMES),
  /** Put the images in (the export is then a zip). */
  images: z.boolean().default(false),
  /** Options the format reads, as the synchronous export takes them in the query (`task`, `convention`). */
  options: z.record(z.string(), z.string()).default({}),
})

export const listJobsQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
})

/** Long imports and exports as jobs: status, progress, cancellation and the finished file. */
export function createJobRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  /** Starts an export job (reviewers and leads); 202 with the queued job. */
  app.post('/projects/:projectId/exports', async (c) => {
    const { ctx } = c.var
    const user = requireUser(c)
    const projectId = c.req.param('projectId')
    await requireProjectRole(ctx.database.db, user, projectId, 'reviewer')
    const body = await readJson(c, exportJobBodySchema)
    requireFormat(body.format)
    requireKnownOptions(body.format, 'export', body.options, [])
    const row = await submitExport(ctx, user, projectId, body.format, {
      withImages: body.images,
      formatOptions: body.options,
    })
    c.var.log.info({ projectId, jobId: row.id, format: body.format }, 'export job queued')
    return c.json({ job: toJob(row, null) }, 202)
  })

  /** The project's jobs, newest first: exports for reviewers, imports too for leads. */
  app.get('/projects/:projectId/jobs', async (c) => {
    const { ctx } = c.var
    const projectId = c.req.param('projectId')
    const role = await requireProjectRole(ctx.database.db, requireUser(c), projectId, 'reviewer')
    const { limit } = parseWith(listJobsQuerySchema, c.req.query(), 'query')
    const rows = await listJobRows(ctx.database.db, projectId, limit)
    const runner = jobRunner(ctx)
    const visible = rows.filter((r) => r.kind === 'export' || roleAtLeast(role, 'lead'))
    return c.json({ jobs: visible.map((r) => toJob(r, runner.progressOf(r.id))) })
  })

  /** One job with its progress; poll it while it runs. */
  app.get('/jobs/:jobId', async (c) => {
    const { ctx } = c.var
    const row = await requireJobRow(ctx, c.req.param('jobId'))
    await requireJobAccess(ctx, requireUser(c), row)
    return c.json({ job: toJob(row, jobRunner(ctx).progressOf(row.id)) })
  })

  /**
   * Cancels a queued or running job and answers with it once it has stopped. An import that has
   * begun writing cannot be cancelled (409): it runs to its end so the project is never left
   * half imported. A finished job answers 409 as well.
   */
  app.post('/jobs/:jobId/cancel', async (c) => {
    const { ctx } = c.var
    const user = requireUser(c)
    const row = await requireJobRow(ctx, c.req.param('jobId'))
    await requireJobAccess(ctx, user, row)
    const outcome = await jobRunner(ctx).cancel(row.id)
    if (outcome === 'writing') {
      throw new AppError(
        'conflict',
        'The import is writing and runs to its end; it cannot be cancelled now',
        {
          state: 'running',
          phase: 'write',
        },
      )
    }
    const after = await requireJobRow(ctx, row.id)
    // A job that reached its end before the cancel took has finished, not been cancelled.
    if (outcome === 'elsewhere' || after.state !== 'cancelled') {
      const message =
        after.state === 'queued' || after.state === 'running'
          ? 'The job runs in another server process'
          : `The job has already ${after.state}`
      throw new AppError('conflict', message, { state: after.state })
    }
    c.var.log.info({ jobId: row.id, state: after.state }, 'job cancel requested')
    return c.json({ job: toJob(after, null) })
  })

  /** The finished export's file, as an attachment; 409 until the job has succeeded. */
  app.get('/jobs/:jobId/result', async (c) => {
    const { ctx } = c.var
    const row = await requireJobRow(ctx, c.req.param('jobId'))
    await requireJobAccess(ctx, requireUser(c), row)
    if (row.kind === 'import') {
      throw new AppError('not_found', 'An import job has no file: its answer is the job summary')
    }
    if (row.state !== 'succeeded') {
      throw new AppError('conflict', `The job has no file: it is ${row.state}`, {
        state: row.state,
      })
    }
    if (!row.resultBlobHash || !row.resultFileName) {
      throw new AppError('not_found', 'This job has no file (imports answer in the job summary)')
    }
    const blob = await ctx.blobs.openStream(row.resultBlobHash)
    if (!blob) throw new AppError('not_found', 'The file of this job is missing')
    c.header('Content-Type', row.resultMediaType ?? 'application/octet-stream')
    c.header('Content-Length', String(blob.size))
    c.header('Content-Disposition', `attachment; filename="${row.resultFileName}"`)
    return c.body(blob.stream, 200)
  })

  return app
}
