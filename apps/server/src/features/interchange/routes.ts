import {
  FORMAT_NAMES,
  FORMAT_OPTIONS,
  type FileSet,
  type FormatName,
} from '@concord/shared/formats/index'
import { unzipToFileSet } from '@concord/shared/formats/zip'
import { Hono, type Context } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { z } from 'zod'
import { requireUser } from '../../auth/middleware.ts'
import { requireProjectRole } from '../../auth/roles.ts'
import { AppError } from '../../lib/errors.ts'
import type { AppEnv } from '../../lib/hono-env.ts'
import { parseWith } from '../../lib/validate.ts'
import type { Logger } from '../../lib/logger.ts'
import { submitImport, toJob } from '../jobs/service.ts'
import { exportProject, isStreamed, streamCocoExport } from './export.ts'
import { importAnnotations, requireFormat } from './service.ts'

/** Query keys the import route reads itself; any other key is an option for the format. */
const IMPORT_KEYS = ['format', 'fileName', 'mode', 'run', 'async'] as const

export const importQuerySchema = z
  .object({
    format: z.enum(FORMAT_NAMES),
    /** Name of a single uploaded file, for formats that look at it (`instances_val.json`). */
    fileName: z.string().min(1).max(255).optional(),
    /** `append` (default) adds to the regions there; `replace` clears the matched assets' layer first. */
    mode: z.enum(['append', 'replace']).default('append'),
    /** COCO results: the model run (layer `model:<run>`) to write; a new id when absent. */
    run: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,64}$/)
      .optional(),
    /** `true`: answer 202 with a job at once instead of the result when done. */
    async: z.enum(['true', 'false', '1', '0']).optional(),
  })
  .catchall(z.string())

export const exportQuerySchema = z
  .object({
    format: z.enum(FORMAT_NAMES),
    images: z.enum(['true', 'false', '1', '0']).optional(),
  })
  .catchall(z.string())

/**
 * An `X-Concord-Report` longer than this is cut (keeping the lossiness list): proxies refuse
 * headers of more than a few kilobytes.
 */
const REPORT_HEADER_LIMIT = 4000

/** Annotation import and export, in every registered format. */
export function createInterchangeRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  /**
   * Imports annotations into the project's consensus layer (COCO results: a model layer). The
   * body is the annotation file (JSON, XML, text) or a zip of several, optionally with images
   * (`Content-Type: application/zip`). `async=true` answers 202 with a job. Leads only.
   */
  app.post(
    '/projects/:projectId/import',
    (c, next) =>
      bodyLimit({
        maxSize: c.var.ctx.config.maxImportBytes,
        onError: () => {
          const mib = Math.round(c.var.ctx.config.maxImportBytes / 2 ** 20)
          throw new AppError(
            'too_large',
            `The import is larger than the server accepts (${mib} MiB, MAX_IMPORT_BYTES)`,
          )
        },
      })(c, next),
    async (c) => {
      const { ctx } = c.var
      const projectId = c.req.param('projectId')
      const user = requireUser(c)
      await requireProjectRole(ctx.database.db, user, projectId, 'lead')
      const query = parseWith(importQuerySchema, c.req.query(), 'query')
      const formatOptions = Object.fromEntries(
        Object.entries(query).filter(([key]) => !(IMPORT_KEYS as readonly string[]).includes(key)),
      ) as Record<string, string>
      requireKnownOptions(query.format, 'import', formatOptions, IMPORT_KEYS)
      const options = { mode: query.mode, run: query.run, formatOptions }
      requireFormat(query.format)
      const files = await readImportBody(c, query.fileName, query.format)
      // A lone VOC XML sent without its name is named here; its <filename> names the image.
      const [only] = files.keys()
      if (query.format === 'voc' && files.size === 1 && only === UNNAMED_XML) {
        formatOptions.nameFrom ??= 'filename'
      }
      if (query.async === 'true' || query.async === '1') {
        const row = await submitImport(ctx, user, projectId, query.format, files, options)
        c.var.log.info({ projectId, jobId: row.id, format: query.format }, 'import job queued')
        return c.json({ job: toJob(row, null) }, 202)
      }
      const result = await importAnnotations(ctx, user, projectId, query.format, files, options)
      c.var.log.info(
        { projectId, format: query.format, ...result.imported },
        'annotations imported',
      )
      return c.json(result)
    },
  )

  /**
   * Exports the consensus layer as a download: the format's file, or a zip for multi-file
   * formats and with `images=true`. What the format could not carry is in `X-Concord-Report`
   * (or `concord-report.json` in a zip). COCO without images is streamed as it is read, so its header
   * holds only what is known up front (`partial: true`). Reviewers and leads.
   */
  app.get('/projects/:projectId/export', async (c) => {
    const projectId = c.req.param('projectId')
    await requireProjectRole(c.var.ctx.database.db, requireUser(c), projectId, 'reviewer')
    const { format, images, ...formatOptions } = parseWith(
      exportQuerySchema,
      c.req.query(),
      'query',
    )
    requireKnownOptions(format, 'export', formatOptions, ['format', 'images'])
    const withImages = images === 'true' || images === '1'
    const options = { withImages, formatOptions }
    if (isStreamed(format, options)) {
      const streamed = await streamCocoExport(c.var.ctx, projectId, options)
      c.header('Content-Type', streamed.mediaType)
      c.header('Content-Disposition', `attachment; filename="${streamed.fileName}"`)
      // The body is written as it is read, so only what is known before it can go in a
      // header: the kinds COCO cannot carry. Clipping counts are in an export job's report.
      c.header(
        'X-Concord-Report',
        reportHeader({ warnings: [], lossiness: streamed.lossinessUpFront, partial: true }),
      )
      return c.body(toReadableStream(streamed.chunks, c.var.log), 200)
    }
    const result = await exportProject(c.var.ctx, projectId, format, options)
    c.header('Content-Type', result.mediaType)
    c.header('Content-Disposition', `attachment; filename="${result.fileName}"`)
    c.header('X-Concord-Report', reportHeader(result.report))
    return c.body(result.bytes as Uint8Array<ArrayBuffer>, 200)
  })

  return app
}

/**
 * Refuses a query field (or job option) that neither the route nor the format reads, naming
 * the fields there are: a misspelt `mode` must not turn a replace into an append.
 */
export function requireKnownOptions(
  format: FormatName,
  direction: 'import' | 'export',
  options: Record<string, unknown>,
  routeKeys: readonly string[],
): void {
  const known = FORMAT_OPTIONS[format][direction]
  const unknown = Object.keys(options).find((key) => !known.includes(key))
  if (unknown === undefined) return
  const takes = [...routeKeys, ...known].join(', ')
  throw new AppError(
    'invalid_body',
    `Unknown option "${unknown}": a ${format} ${direction} takes ${takes}`,
    { path: [unknown] },
  )
}

async function readImportBody(
  c: Context<AppEnv>,
  fileName: string | undefined,
  format: FormatName,
): Promise<FileSet> {
  const bytes = new Uint8Array(await c.req.arrayBuffer())
  if (bytes.byteLength === 0) throw new AppError('invalid_body', 'The body is empty', { path: [] })
  const type = (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? ''
  const isZip =
    type === 'application/zip' ||
    type === 'application/x-zip-compressed' ||
    startsWithZipMagic(bytes)
  if (!isZip) return new Map([[fileName ?? defaultFileName(type, format), bytes]])
  return unzipToFileSet(bytes, { name: fileName ?? 'upload.zip' })
}

/** The name a single XML body gets when the request gives none. */
const UNNAMED_XML = 'annotations.xml'

/** The one kind of file each single-file format reads, whatever the body's content type says. */
const BODY_NAMES: Partial<Record<FormatName, string>> = {
  coco: 'annotations.json',
  'coco-results': 'annotations.json',
  labelme: 'annotations.json',
  labelstudio: 'annotations.json',
  cvat: UNNAMED_XML,
  voc: UNNAMED_XML,
  concord: 'annotations.jsonl',
}

/**
 * The name of a body sent without one. A content type that says little (`text/plain`, none)
 * gives way to the format's own kind of file, and JSON Lines are often sent as JSON; a type
 * that names another kind is kept, so that a JSON file sent for VOC is said to be another format.
 */
function defaultFileName(type: string, format: FormatName): string {
  const own = BODY_NAMES[format]
  const vague = type === '' || type === 'text/plain' || type === 'application/octet-stream'
  if (own && (vague || (format === 'concord' && type.endsWith('json')))) return own
  if (type.endsWith('/xml') || type.endsWith('+xml')) return UNNAMED_XML
  if (type.includes('yaml')) return 'annotations.yaml'
  if (type === 'application/x-ndjson' || type === 'application/jsonl') return 'annotations.jsonl'
  if (type === 'text/plain') return 'annotations.txt'
  return 'annotations.json'
}

function startsWithZipMagic(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04
}

/** The report as a header value: ASCII JSON, cut to the limit with `truncated: true`. */
export function reportHeader(report: {
  warnings: unknown[]
  lossiness: unknown[]
  partial?: boolean
}): string {
  const full = asciiJson(report)
  if (full.length <= REPORT_HEADER_LIMIT) return full
  const lossiness = asciiJson(report.lossiness)
  // Room for the wrapper, the lossiness list and the commas between kept warnings.
  let room = REPORT_HEADER_LIMIT - lossiness.length - 64
  const kept: string[] = []
  for (const warning of report.warnings) {
    const text = asciiJson(warning)
    if (text.length + 1 > room) break
    kept.push(text)
    room -= text.length + 1
  }
  if (room < 0) return asciiJson({ warnings: [], lossiness: [], truncated: true })
  return `{"warnings":[${kept.join(',')}],"lossiness":${lossiness},"truncated":true}`
}

/** JSON with every non-ASCII character escaped, as header values must be. */
function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\u007f-\uffff]/g,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  )
}

/** A web stream of the pieces; a failure midway is logged and ends the body short. */
function toReadableStream(
  chunks: AsyncIterable<Uint8Array>,
  log: Logger,
): ReadableStream<Uint8Array> {
  const iterator = chunks[Symbol.asyncIterator]()
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await iterator.next()
        if (next.done) controller.close()
        else controller.enqueue(next.value)
      } catch (error) {
        log.error({ err: error }, 'streamed export failed')
        controller.error(error)
      }
    },
    async cancel() {
      await iterator.return?.()
    },
  })
}
