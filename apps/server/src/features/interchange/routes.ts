import { FORMAT_NAMES, FormatError, type FileSet } from '@concord/shared/formats/index'
import { unzipToFileSet } from '@concord/shared/formats/zip'
import { Hono, type Context } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { z } from 'zod'
import { requireUser } from '../../auth/middleware.ts'
import { requireProjectRole } from '../../auth/roles.ts'
import { AppError } from '../../lib/errors.ts'
import type { AppEnv } from '../../lib/hono-env.ts'
import { parseWith } from '../../lib/validate.ts'
import { exportProject } from './export.ts'
import { importAnnotations } from './service.ts'

export const importQuerySchema = z.object({
  format: z.enum(FORMAT_NAMES),
  /** Name of a single uploaded file, for formats that look at it (`instances_val.json`). */
  fileName: z.string().min(1).max(255).optional(),
})

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
   * Imports annotations into the project's consensus layer. The body is the annotation file
   * (JSON, XML, text) or a zip of several (`Content-Type: application/zip`). Leads only.
   */
  app.post(
    '/projects/:projectId/import',
    (c, next) =>
      bodyLimit({
        maxSize: c.var.ctx.config.maxImportBytes,
        onError: () => {
          throw new AppError('too_large', 'The import is larger than the server accepts')
        },
      })(c, next),
    async (c) => {
      const projectId = c.req.param('projectId')
      const user = requireUser(c)
      await requireProjectRole(c.var.ctx.database.db, user, projectId, 'lead')
      const query = parseWith(importQuerySchema, c.req.query(), 'query')
      const files = await readImportBody(c, query.fileName)
      const result = await importAnnotations(c.var.ctx, user, projectId, query.format, files)
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
   * (or `report.json` in a zip). Reviewers and leads.
   */
  app.get('/projects/:projectId/export', async (c) => {
    const projectId = c.req.param('projectId')
    await requireProjectRole(c.var.ctx.database.db, requireUser(c), projectId, 'reviewer')
    const { format, images, ...formatOptions } = parseWith(
      exportQuerySchema,
      c.req.query(),
      'query',
    )
    const withImages = images === 'true' || images === '1'
    const result = await exportProject(c.var.ctx, projectId, format, { withImages, formatOptions })
    c.header('Content-Type', result.mediaType)
    c.header('Content-Disposition', `attachment; filename="${result.fileName}"`)
    c.header('X-Concord-Report', reportHeader(result.report))
    return c.body(result.bytes as Uint8Array<ArrayBuffer>, 200)
  })

  return app
}

async function readImportBody(c: Context<AppEnv>, fileName: string | undefined): Promise<FileSet> {
  const bytes = new Uint8Array(await c.req.arrayBuffer())
  if (bytes.byteLength === 0) throw new AppError('invalid_body', 'The body is empty', { path: [] })
  const type = (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? ''
  const isZip =
    type === 'application/zip' ||
    type === 'application/x-zip-compressed' ||
    startsWithZipMagic(bytes)
  if (!isZip) return new Map([[fileName ?? defaultFileName(type), bytes]])
  try {
    return unzipToFileSet(bytes, { name: fileName ?? 'upload.zip' })
  } catch (error) {
    if (error instanceof FormatError) {
      throw new AppError('invalid_format', error.message, {
        file: error.file,
        where: error.where,
        path: [],
      })
    }
    throw error
  }
}

function defaultFileName(type: string): string {
  if (type.endsWith('/xml') || type.endsWith('+xml')) return 'annotations.xml'
  if (type.includes('yaml')) return 'annotations.yaml'
  if (type === 'application/x-ndjson' || type === 'application/jsonl') return 'annotations.jsonl'
  if (type === 'text/plain') return 'annotations.txt'
  return 'annotations.json'
}

function startsWithZipMagic(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04
}

/** The report as a header value: ASCII JSON, cut to the limit with `truncated: true`. */
export function reportHeader(report: { warnings: unknown[]; lossiness: unknown[] }): string {
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
