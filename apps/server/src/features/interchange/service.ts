import {
  addRegion,
  formatDocumentName,
  getTagsMap,
  type Layer,
  type NewRegion,
} from '@concord/shared'
import {
  FORMATS,
  type FileSet,
  type FormatEntry,
  type FormatName,
  type InterchangeRegion,
  type ReportEntry,
} from '@concord/shared/formats/index'
import type { AuthUser } from '../../auth/authenticate.ts'
import { eq, sql } from 'drizzle-orm'
import type { AppContext } from '../../context.ts'
import type { Db } from '../../db/client.ts'
import { projects } from '../../db/schema.ts'
import type { BulkEdit } from '../../sync/bulk-write.ts'
import { AppError } from '../../lib/errors.ts'
import { newId } from '../../lib/ids.ts'
import { countRegionsByAsset, insertAssetRows } from '../assets/queries.ts'
import { ensureLabels } from '../projects/service.ts'
import { checkCancelled, NO_CONTROL, type RunControl } from './control.ts'
import { planImport, type AssetSlot, type ImportPlan } from './import-plan.ts'
import { prepareNewImages, type PreparedImage } from './new-images.ts'
import { normalizePath } from '@concord/shared/formats/paths'
import { attributesWithExtras } from './region-extras.ts'

/** `append` adds the file's regions to those there; `replace` clears the matched assets' layer first. */
export type ImportMode = 'append' | 'replace'

export type ImportOptions = {
  mode: ImportMode
  /** COCO results only: the model run whose layer receives the predictions; new when absent. */
  run?: string | undefined
  /** Options the format reads (VOC `convention`, COCO `subset`), passed through. */
  formatOptions: Record<string, string>
}

export type ImportResult = {
  imported: { images: number; regions: number; labels: number; assets: number }
  /** The layer written: `consensus`, or `model:<runId>` for COCO results. */
  layer: Layer
  mode: ImportMode
  /** The model run of a COCO results import. */
  runId?: string
  warnings: ReportEntry[]
}

/** The registry entry of a format, or 400 when it is not (yet) available. */
export function requireFormat(name: FormatName): FormatEntry {
  const entry = FORMATS[name]
  if (!entry)
    throw new AppError('bad_request', `The ${name} format is not available yet`, {
      path: ['format'],
    })
  return entry
}

/**
 * Imports annotations into the project: the consensus layer, or for COCO results the layer of a
 * model run. All or nothing: the files are parsed, the images they carry sized and every region
 * checked before anything is written (a malformed file is a 400 naming the file and place).
 * Then, in one uninterruptible write phase, carried images the project lacks become assets,
 * missing labels are created and the regions written (in `replace` mode after clearing the
 * layer of every matched asset, so importing one file twice gives its regions once).
 * Images the project does not have and the import does not carry are warnings.
 */
export async function importAnnotations(
  ctx: AppContext,
  user: AuthUser,
  projectId: string,
  format: FormatName,
  files: FileSet,
  options: ImportOptions,
  control: RunControl = NO_CONTROL,
): Promise<ImportResult> {
  const entry = requireFormat(format)
  const runId = format === 'coco-results' ? (options.run ?? newId(9)) : undefined
  const layer: Layer = runId ? `model:${runId}` : 'consensus'
  const plan = await planImport(
    ctx,
    projectId,
    entry,
    format,
    files,
    { layer, formatOptions: options.formatOptions },
    control,
  )
  checkCancelled(control)
  control.beginWrite()
  const imported = await writePlan(ctx, user, projectId, plan, options.mode, control)
  return {
    imported,
    layer,
    mode: options.mode,
    ...(runId ? { runId } : {}),
    warnings: plan.warnings,
  }
}

/** Documents written per chunk of the write phase; progress advances once per chunk. */
const WRITE_BATCH = 500

/**
 * Phase `write`: never interrupted once begun (see {@link RunControl.beginWrite}), and all or
 * nothing. New images are decoded and their files stored first (files by content hash: one left
 * behind by a failed import is never shown); then their asset rows, the missing labels and
 * every document's log entry commit in one transaction, so that a server killed halfway leaves
 * the project as it was. The regions' SQL projection follows in the background; readers of it
 * (exports, counts) wait for it.
 */
async function writePlan(
  ctx: AppContext,
  user: AuthUser,
  projectId: string,
  plan: ImportPlan,
  mode: ImportMode,
  control: RunControl,
): Promise<ImportResult['imported']> {
  const total = plan.newImages.length + plan.slots.length
  control.progress('write', 0, total)
  const prepared = await prepareNewImages(ctx, projectId, plan.newImages, plan.warnings, (n) =>
    control.progress('write', n, total),
  )
  const subsets = placeItems(plan.slots, prepared)
  // In replace mode only documents that hold regions now need clearing.
  if (mode === 'replace') await ctx.documents.projected()
  const present =
    mode === 'replace' ? await countRegionsByAsset(ctx.database.db, projectId, plan.layer) : null
  const targets = plan.slots.flatMap((slot) => {
    const asset = slot.pending ? prepared.get(slot.asset.fileName)?.asset : slot.asset
    if (!asset) return []
    const clear = (present?.get(asset.id) ?? 0) > 0
    if (slot.regions.length === 0 && slot.tags.length === 0 && !clear) return []
    return [{ slot, clear, name: formatDocumentName(asset.id, plan.layer) }]
  })
  const now = Date.now()
  return ctx.documents.writeMany(
    targets.map((t) => t.name),
    async (tx, write) => {
      const rows = [...prepared.values()].map((p) => p.row)
      const inserted = await insertAssetRows(tx, rows)
      const lost = rows.find((row) => !inserted.has(row.id as string))
      if (lost) {
        throw new AppError(
          'conflict',
          `An image named ${lost.fileName} was added to the project while the import ran; nothing was imported, import again`,
        )
      }
      const wanted = [
        ...plan.labels,
        ...targets.flatMap(({ slot }) => slot.regions.map((r) => ({ name: r.label }))),
        ...targets.flatMap(({ slot }) => slot.tags.map((name) => ({ name }))),
      ]
      await fillSubsets(tx, subsets)
      const { idsByName, created } = await ensureLabels(tx, projectId, wanted)
      await keepExtras(tx, projectId, plan, prepared)
      let regionCount = 0
      let done = plan.newImages.length
      let batch: BulkEdit[] = []
      const flushBatch = async () => {
        await write(batch)
        done += batch.length
        batch = []
        control.progress('write', done, total)
      }
      for (const { slot, clear, name } of targets) {
        const newRegions = slot.regions.map((region) => toNewRegion(region, idsByName))
        const tagIds = slot.tags.flatMap((tag) => idsByName.get(tag) ?? [])
        batch.push({
          name,
          clear,
          edit: (doc) => {
            // A millisecond apart in file order: exports list a document's regions by
            // creation time, so they come out in the order the file had them.
            newRegions.forEach((region, i) => addRegion(doc, region, user.id, now + i))
            for (const labelId of tagIds) getTagsMap(doc).set(labelId, true)
          },
        })
        if (batch.length >= WRITE_BATCH) await flushBatch()
        regionCount += newRegions.length
      }
      await flushBatch()
      control.progress('write', total, total)
      const images = plan.slots.filter((s) => !s.pending || prepared.has(s.asset.fileName)).length
      return { images, regions: regionCount, labels: created, assets: prepared.size }
    },
  )
}

/**
 * Gives each image the import adds the subset and path of its item, so that exports write it
 * where the dataset had it (`train/1.jpg` rather than the zip's `images/train/1.jpg` nested
 * again). Returns the assets already there that have no subset yet and whose item has one.
 */
function placeItems(
  slots: AssetSlot[],
  prepared: Map<string, PreparedImage>,
): { id: string; subset: string }[] {
  const fill: { id: string; subset: string }[] = []
  for (const slot of slots) {
    const { subset, path } = slot.item
    if (!slot.pending) {
      if (subset && !slot.asset.subset) fill.push({ id: slot.asset.id, subset })
      continue
    }
    const row = prepared.get(slot.asset.fileName)?.row
    if (!row) continue
    row.subset = subset
    if (normalizePath(path) !== normalizePath(row.fileName)) row.itemPath = path
  }
  return fill
}

/** Sets the subset of assets that had none, in one statement. */
async function fillSubsets(tx: Db, fill: { id: string; subset: string }[]): Promise<void> {
  if (fill.length === 0) return
  await tx.execute(sql`
    update assets a set subset = v.subset
    from json_to_recordset(${JSON.stringify(fill)}::json) as v(id text, subset text)
    where a.id = v.id and a.subset = ''`)
}

/**
 * Keeps what the format carries beyond regions for the export of the same format: item fields
 * on their assets, dataset blocks on the project, merged key by key over what is there.
 */
async function keepExtras(
  tx: Db,
  projectId: string,
  plan: ImportPlan,
  prepared: Map<string, { asset: { id: string } }>,
): Promise<void> {
  if (Object.keys(plan.meta).length > 0) {
    await tx
      .update(projects)
      .set({ interchange: sql`${projects.interchange} || ${JSON.stringify(plan.meta)}::jsonb` })
      .where(eq(projects.id, projectId))
  }
  const rows = plan.slots.flatMap((slot) => {
    const asset = slot.pending ? prepared.get(slot.asset.fileName)?.asset : slot.asset
    return asset && Object.keys(slot.attributes).length > 0
      ? [{ id: asset.id, attributes: slot.attributes }]
      : []
  })
  if (rows.length === 0) return
  await tx.execute(sql`
    update assets set interchange = assets.interchange || d.attributes
    from json_to_recordset(${JSON.stringify(rows)}::json) as d(id text, attributes jsonb)
    where assets.id = d.id`)
}

function toNewRegion(region: InterchangeRegion, idsByName: Map<string, string>): NewRegion {
  return {
    kind: region.kind,
    labelId: idsByName.get(region.label) ?? '',
    geometry: region.geometry,
    attributes: attributesWithExtras(region),
    source: region.source ?? 'human',
    score: region.score ?? null,
  } as NewRegion
}
