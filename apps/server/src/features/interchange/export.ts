import type {
  ConversionReport,
  FileSet,
  FormatName,
  InterchangeDataset,
  InterchangeItem,
  InterchangeRegion,
} from '@concord/shared/formats/index'
import { zipFileSet } from '@concord/shared/formats/zip'
import { and, asc, eq } from 'drizzle-orm'
import type { AppContext } from '../../context.ts'
import { regions as regionsTable } from '../../db/schema.ts'
import { AppError } from '../../lib/errors.ts'
import { listAssetRows } from '../assets/queries.ts'
import { findProject, listLabels } from '../projects/queries.ts'
import { splitExtras } from './region-extras.ts'
import { requireFormat } from './service.ts'

/** What an export answers with: one file or a zip, and the report of what did not fit. */
export type ExportResult = {
  fileName: string
  mediaType: string
  bytes: Uint8Array
  report: ConversionReport
}

/**
 * Exports the consensus layer of a project. One file when the format writes one; a zip (with
 * `report.json`) when it writes several or when `withImages` adds the original images.
 */
export async function exportProject(
  ctx: AppContext,
  projectId: string,
  format: FormatName,
  options: { withImages: boolean; formatOptions: Record<string, string> },
): Promise<ExportResult> {
  const entry = requireFormat(format)
  const project = await findProject(ctx.database.db, projectId)
  if (!project) throw new AppError('not_found', 'Project not found')
  // Regions are read from their projection; flushing first makes it hold every saved edit.
  await ctx.documents.flush()
  const { dataset, skipped } = await buildDataset(ctx, projectId)

  const result = entry.export(dataset, options.formatOptions) as ReturnType<typeof entry.export> & {
    images?: Map<string, string>
  }
  const report: ConversionReport = {
    warnings: [...skipped, ...result.report.warnings],
    lossiness: result.report.lossiness,
  }
  const stem = `${slug(project.name)}-${format}`
  const [only] = result.files
  if (!entry.multiFile && !options.withImages && result.files.size === 1 && only) {
    return {
      fileName: fileNameFor(stem, only[0]),
      mediaType: entry.mediaType,
      bytes: only[1],
      report,
    }
  }

  const files: FileSet = new Map(result.files)
  if (options.withImages) await addImages(ctx, projectId, dataset, files, result.images)
  files.set('report.json', new TextEncoder().encode(`${JSON.stringify(report, null, 2)}\n`))
  return { fileName: `${stem}.zip`, mediaType: 'application/zip', bytes: zipFileSet(files), report }
}

/** The project as an interchange dataset: every asset (also those without regions), by file name. */
async function buildDataset(ctx: AppContext, projectId: string) {
  const db = ctx.database.db
  const assets = await listAssetRows(db, projectId)
  const labels = await listLabels(db, [projectId])
  const labelName = new Map(labels.map((l) => [l.id, l.name]))
  const rows = await db
    .select()
    .from(regionsTable)
    .where(and(eq(regionsTable.projectId, projectId), eq(regionsTable.layer, 'consensus')))
    .orderBy(asc(regionsTable.createdAt), asc(regionsTable.regionId))

  const items = new Map<string, InterchangeItem>()
  for (const asset of assets) {
    items.set(asset.id, {
      key: asset.fileName,
      subset: '',
      path: asset.fileName,
      width: asset.width,
      height: asset.height,
      regions: [],
      tags: [],
    })
  }
  const skipped: ConversionReport['warnings'] = []
  for (const row of rows) {
    const item = items.get(row.assetId)
    const label = labelName.get(row.labelId)
    if (!item) continue
    if (label === undefined) {
      skipped.push({
        code: 'unknown-label',
        message: `region ${row.regionId} has no label; left out`,
        file: item.path,
      })
      continue
    }
    const { attributes, extras } = splitExtras((row.attributes ?? {}) as Record<string, unknown>)
    item.regions.push({
      kind: row.kind,
      label,
      geometry: row.geometry,
      attributes,
      score: row.score,
      source: row.source === 'model' ? 'model' : 'human',
      sourceId: row.regionId,
      ...(extras.group !== undefined ? { group: extras.group } : {}),
      ...(extras.crowd ? { crowd: true } : {}),
      ...(extras.extra ? { extra: extras.extra } : {}),
    } as InterchangeRegion)
  }
  const dataset: InterchangeDataset = {
    labels: labels.map((l) => ({ name: l.name, color: l.color })),
    items: [...items.values()],
  }
  return { dataset, skipped }
}

async function addImages(
  ctx: AppContext,
  projectId: string,
  dataset: InterchangeDataset,
  files: FileSet,
  placed: Map<string, string> | undefined,
): Promise<void> {
  const assets = new Map(
    (await listAssetRows(ctx.database.db, projectId)).map((a) => [a.fileName, a]),
  )
  for (const item of dataset.items) {
    const asset = assets.get(item.path)
    if (!asset) continue
    const bytes = await ctx.blobs.get(asset.blobHash)
    if (!bytes) throw new AppError('internal', `The bytes of ${asset.fileName} are missing`)
    // Formats with an image layout of their own (YOLO's images/<split>/) say where each goes.
    const target = placed?.get(item.key) ?? item.path
    if (!files.has(target)) files.set(target, bytes)
  }
}

function fileNameFor(stem: string, formatFile: string): string {
  const dot = formatFile.lastIndexOf('.')
  return dot > 0 ? `${stem}${formatFile.slice(dot)}` : stem
}

/** An ASCII file-name stem from a project name. */
function slug(name: string): string {
  const out = name
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .toLowerCase()
  return out.slice(0, 60) || 'project'
}
