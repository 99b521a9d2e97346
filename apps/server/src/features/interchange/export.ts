import { writeCocoStream } from '@concord/shared/formats/coco/stream'
import { exportDataset } from '@concord/shared/formats/index'
import type {
  ConversionReport,
  FileSet,
  FormatName,
  InterchangeDataset,
  InterchangeItem,
  LossinessEntry,
  ReportEntry,
} from '@concord/shared/formats/index'
import { extName } from '@concord/shared/formats/paths'
import { zipFileSet } from '@concord/shared/formats/zip'
import { and, count, eq, sql } from 'drizzle-orm'
import type { AppContext } from '../../context.ts'
import { assets as assetsTable, documents, regions as regionsTable } from '../../db/schema.ts'
import { AppError } from '../../lib/errors.ts'
import { listAssetRows, type AssetRow } from '../assets/queries.ts'
import { findProject } from '../projects/queries.ts'
import { checkCancelled, NO_CONTROL, type RunControl } from './control.ts'
import { readExportItems, readExportLabels } from './export-source.ts'
import { EXPORT_REPORT_FILE } from './import-plan.ts'
import { requireFormat } from './service.ts'

/** Characters per written piece of a streamed export: 256 KiB or so, a few items' worth. */
const STREAM_PIECE_CHARS = 256 * 1024

export type ExportOptions = { withImages: boolean; formatOptions: Record<string, string> }

/** An export whole in memory: one file or a zip, and the report of what did not fit. */
export type ExportResult = {
  fileName: string
  mediaType: string
  bytes: Uint8Array
  report: ConversionReport
}

/** An export written while it is read from the database (COCO without images). */
export type StreamedExport = {
  fileName: string
  mediaType: string
  chunks: AsyncIterable<Uint8Array>
  /** Complete once `chunks` is drained. */
  report(): ConversionReport
  /** What is known before writing: kinds COCO cannot carry, counted in the database. */
  lossinessUpFront: LossinessEntry[]
}

/** Whether an export is streamed rather than built whole: COCO as one JSON file. */
export function isStreamed(format: FormatName, options: ExportOptions): boolean {
  return format === 'coco' && !options.withImages
}

/**
 * Streams the consensus layer as COCO JSON, reading regions a page of assets at a time, so
 * memory stays flat however many regions the project has. Same content as the COCO file
 * {@link exportProject} would build.
 */
export async function streamCocoExport(
  ctx: AppContext,
  projectId: string,
  options: ExportOptions,
  control: RunControl = NO_CONTROL,
): Promise<StreamedExport> {
  const { project, assets, labels, nameOf } = await queryProject(ctx, projectId, control)
  const skipped: ReportEntry[] = []
  const items = readExportItems(ctx.database.db, assets, 'consensus', nameOf, skipped, (done) => {
    checkCancelled(control)
    control.progress('convert', done, assets.length)
  })
  // One file holds every subset: where there are several, a file name keeps its subset's folder
  // (`train/1.jpg`, `val/1.jpg`), which is where an export with images puts the image.
  const split = new Set(assets.map((a) => a.subset)).size > 1
  const stream = writeCocoStream(
    { labels, items: split ? inSubsetFolders(items) : items, ...metaOf(project) },
    options.formatOptions,
  )
  const encoder = new TextEncoder()
  // Pieces are joined up to a size worth a socket write: one per item would be thousands.
  async function* bytes(): AsyncGenerator<Uint8Array> {
    let pending: string[] = []
    let length = 0
    for await (const chunk of stream.chunks) {
      pending.push(chunk)
      length += chunk.length
      if (length < STREAM_PIECE_CHARS) continue
      yield encoder.encode(pending.join(''))
      pending = []
      length = 0
    }
    if (pending.length > 0) yield encoder.encode(pending.join(''))
  }
  return {
    fileName: `${slug(project.name)}-coco.json`,
    mediaType: 'application/json',
    chunks: bytes(),
    report: () => {
      const report = stream.report()
      return { warnings: [...skipped, ...report.warnings], lossiness: report.lossiness }
    },
    lossinessUpFront: await countUncarriedKinds(ctx, projectId),
  }
}

async function* inSubsetFolders(
  items: AsyncIterable<InterchangeItem>,
): AsyncGenerator<InterchangeItem> {
  for await (const item of items) {
    yield item.subset ? { ...item, subset: '', path: `${item.subset}/${item.path}` } : item
  }
}

/**
 * Exports the consensus layer of a project. One file when the format writes one; a zip (with
 * `concord-report.json`) when it writes several or when `withImages` adds the original images.
 */
export async function exportProject(
  ctx: AppContext,
  projectId: string,
  format: FormatName,
  options: ExportOptions,
  control: RunControl = NO_CONTROL,
): Promise<ExportResult> {
  const entry = requireFormat(format)
  const { project, assets, labels, nameOf } = await queryProject(ctx, projectId, control)
  const skipped: ReportEntry[] = []
  const items: InterchangeItem[] = []
  const source = readExportItems(ctx.database.db, assets, 'consensus', nameOf, skipped, (done) => {
    checkCancelled(control)
    control.progress('convert', done, assets.length)
  })
  for await (const item of source) items.push(item)
  const dataset: InterchangeDataset = { labels, items, ...metaOf(project) }

  const result = exportDataset(format, dataset, options.formatOptions) as ReturnType<
    typeof entry.export
  > & { images?: Map<string, string> }
  checkCancelled(control)
  control.progress('pack', 0, 1)
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
  const images = options.withImages
    ? await addImages(ctx, assets, dataset, files, result.images, control)
    : undefined
  // The zip's report also says which asset each image is, for an import of the zip back.
  const written = images ? { ...report, images } : report
  files.set(EXPORT_REPORT_FILE, new TextEncoder().encode(`${JSON.stringify(written, null, 2)}\n`))
  const zip = zipFileSet(files)
  control.progress('pack', 1, 1)
  return { fileName: `${stem}.zip`, mediaType: 'application/zip', bytes: zip, report }
}

/** Dataset-level blocks an import carried (COCO `info`, `licenses`), for formats that write them. */
function metaOf(project: { interchange: Record<string, unknown> }) {
  return Object.keys(project.interchange).length > 0 ? { meta: project.interchange } : {}
}

/** Phase `query`: the project, its assets and labels, after flushing pending edits. */
async function queryProject(ctx: AppContext, projectId: string, control: RunControl) {
  control.progress('query', 0, 1)
  const project = await findProject(ctx.database.db, projectId)
  if (!project) throw new AppError('not_found', 'Project not found')
  // Regions are read from their projection; flushing first makes it hold every saved edit.
  await ctx.documents.flush()
  const assets = await listAssetRows(ctx.database.db, projectId)
  const { labels, nameOf } = await readExportLabels(ctx.database.db, projectId)
  checkCancelled(control)
  control.progress('query', 1, 1)
  return { project, assets, labels, nameOf }
}

/** Kinds COCO instances do not carry as they are, counted before a streamed export begins. */
async function countUncarriedKinds(ctx: AppContext, projectId: string): Promise<LossinessEntry[]> {
  const rows = await ctx.database.db
    .select({ kind: regionsTable.kind, n: count() })
    .from(regionsTable)
    .where(and(eq(regionsTable.projectId, projectId), eq(regionsTable.layer, 'consensus')))
    .groupBy(regionsTable.kind)
  const reasons: Record<string, string> = {
    polyline: 'COCO instances cannot carry this kind; region left out',
    point: 'COCO instances cannot carry this kind; region left out',
    rbox: 'COCO has no rotated box; written as a 4-point polygon',
  }
  const kinds = rows.flatMap((r): LossinessEntry[] => {
    const reason = reasons[r.kind]
    return reason ? [{ kind: r.kind as LossinessEntry['kind'], count: r.n, reason }] : []
  })
  // Images with whole-image tags, counted as the written report counts them.
  const [tagged] = await ctx.database.db
    .select({ n: count() })
    .from(documents)
    .innerJoin(assetsTable, eq(assetsTable.id, documents.assetId))
    .where(
      and(
        eq(assetsTable.projectId, projectId),
        eq(documents.layer, 'consensus'),
        sql`jsonb_array_length(${documents.tags}) > 0`,
      ),
    )
  if (tagged && tagged.n > 0) {
    kinds.push({ kind: 'tag', count: tagged.n, reason: 'COCO instances have no image-level tags' })
  }
  return kinds
}

async function addImages(
  ctx: AppContext,
  assets: AssetRow[],
  dataset: InterchangeDataset,
  files: FileSet,
  placed: Map<string, string> | undefined,
  control: RunControl,
): Promise<Record<string, string>> {
  // Items are keyed by their asset's file name (see `readExportItems`).
  const byName = new Map(assets.map((a) => [a.fileName, a]))
  const sources: Record<string, string> = {}
  for (const [i, item] of dataset.items.entries()) {
    const asset = byName.get(item.key)
    if (!asset) continue
    if (i % 100 === 0) {
      checkCancelled(control)
      control.progress('pack', i, dataset.items.length + 1)
    }
    const bytes = await ctx.blobs.get(asset.blobHash)
    if (!bytes) throw new AppError('internal', `The bytes of ${asset.fileName} are missing`)
    // Formats with an image layout of their own (YOLO's images/<split>/) say where each goes;
    // elsewhere an image sits in its subset's folder, as COCO's train2017/ does.
    const named = placed?.get(item.key) ?? (item.subset ? `${item.subset}/${item.path}` : item.path)
    // An item named without an extension (a CVAT video frame, `frame_000010`) keeps its image's,
    // so that the file is seen as an image and found again by its name without one.
    const target =
      extName(named) === '' && extName(asset.fileName) !== ''
        ? `${named}${extName(asset.fileName)}`
        : named
    if (files.has(target)) continue
    files.set(target, bytes)
    sources[target] = asset.fileName
  }
  return sources
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
