import type { FileSet, FormatName } from '@concord/shared/formats/index'
import type { AuthUser } from '../../auth/authenticate.ts'
import { requireProjectRole } from '../../auth/roles.ts'
import type { AppContext } from '../../context.ts'
import { AppError } from '../../lib/errors.ts'
import type { RunControl } from '../interchange/control.ts'
import {
  exportProject,
  isStreamed,
  streamCocoExport,
  type ExportOptions,
} from '../interchange/export.ts'
import { importAnnotations, type ImportOptions } from '../interchange/service.ts'
import type { JobRow } from './queries.ts'
import { jobRunner, type JobOutcome, type JobProgress } from './runner.ts'

/** A job as the API returns it. */
export type Job = {
  id: string
  projectId: string
  userId: string | null
  kind: 'import' | 'export'
  format: string
  state: JobRow['state']
  progress: JobProgress
  /** The file of a finished export: download it from `url`. */
  result: { fileName: string; mediaType: string; url: string } | null
  /** A finished import: the synchronous answer (`imported`, `layer`, `warnings`...); an export: `{ report }`. */
  summary: Record<string, unknown> | null
  /** Why a job failed: `{ code, message, details? }` as the synchronous route answers. */
  error: Record<string, unknown> | null
  createdAt: string
  startedAt: string | null
  finishedAt: string | null
}

export function toJob(row: JobRow, live: JobProgress | null): Job {
  return {
    id: row.id,
    projectId: row.projectId,
    userId: row.userId,
    kind: row.kind,
    format: row.format,
    state: row.state,
    progress: live ?? { phase: row.phase, done: row.progressDone, total: row.progressTotal },
    result:
      row.resultBlobHash && row.resultFileName && row.resultMediaType
        ? {
            fileName: row.resultFileName,
            mediaType: row.resultMediaType,
            url: `/api/jobs/${row.id}/result`,
          }
        : null,
    summary: row.summary ?? null,
    error: row.error ?? null,
    createdAt: row.createdAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
  }
}

/** The role a job's kind needs, as its synchronous route does: leads import, reviewers export. */
export function roleForKind(kind: JobRow['kind']) {
  return kind === 'import' ? ('lead' as const) : ('reviewer' as const)
}

/** Checks that the user may see (and steer) a job; a job of a project they are not in is a 404. */
export async function requireJobAccess(
  ctx: AppContext,
  user: AuthUser,
  row: JobRow,
): Promise<void> {
  try {
    await requireProjectRole(ctx.database.db, user, row.projectId, roleForKind(row.kind))
  } catch (error) {
    if (error instanceof AppError && error.code === 'not_found') {
      throw new AppError('not_found', 'Job not found')
    }
    throw error
  }
}

/** Queues an import of `files`; it runs as the synchronous import does, with progress. */
export function submitImport(
  ctx: AppContext,
  user: AuthUser,
  projectId: string,
  format: FormatName,
  files: FileSet,
  options: ImportOptions,
): Promise<JobRow> {
  return jobRunner(ctx).submit(
    { projectId, userId: user.id, kind: 'import', format },
    async (control) => {
      const result = await importAnnotations(ctx, user, projectId, format, files, options, control)
      ctx.logger.info({ projectId, format, ...result.imported }, 'annotations imported (job)')
      return { summary: result }
    },
  )
}

/** Queues an export; its file is kept in the blob store for `GET /api/jobs/:id/result`. */
export function submitExport(
  ctx: AppContext,
  user: AuthUser,
  projectId: string,
  format: FormatName,
  options: ExportOptions,
): Promise<JobRow> {
  return jobRunner(ctx).submit({ projectId, userId: user.id, kind: 'export', format }, (control) =>
    runExport(ctx, projectId, format, options, control),
  )
}

async function runExport(
  ctx: AppContext,
  projectId: string,
  format: FormatName,
  options: ExportOptions,
  control: RunControl,
): Promise<JobOutcome> {
  if (!isStreamed(format, options)) {
    const result = await exportProject(ctx, projectId, format, options, control)
    const { fileName, mediaType, bytes, report } = result
    return { summary: { report }, file: { fileName, mediaType, bytes } }
  }
  const stream = await streamCocoExport(ctx, projectId, options, control)
  // The file goes to the blob store chunk by chunk as it is written, so a job stays as flat
  // in memory as the streamed route. The report is complete once the chunks are.
  const summary: Record<string, unknown> = {}
  async function* chunks() {
    yield* stream.chunks
    summary.report = stream.report()
  }
  return {
    summary,
    file: { fileName: stream.fileName, mediaType: stream.mediaType, bytes: chunks() },
  }
}
