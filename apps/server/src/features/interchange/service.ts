import type * as Y from 'yjs'
import {
  addRegion,
  formatDocumentName,
  getRegionsMap,
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
import type { AppContext } from '../../context.ts'
import { AppError } from '../../lib/errors.ts'
import { newId } from '../../lib/ids.ts'
import { countRegionsByAsset } from '../assets/queries.ts'
import { ensureLabels } from '../projects/service.ts'
import { checkCancelled, NO_CONTROL, type RunControl } from './control.ts'
import { planImport, type ImportPlan } from './import-plan.ts'
import { storeNewImages } from './new-images.ts'
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

/** Assets whose additions are written together; progress advances once per batch. */
const WRITE_BATCH = 500

/**
 * Phase `write`: never interrupted once begun (see {@link RunControl.beginWrite}).
 * TODO(#3): not atomic across a crash: a server killed mid-write keeps the images and documents
 * written so far (the job is then marked failed); a write journal replayed on start-up, or
 * images stored only after the documents commit, would make it all or nothing there too.
 */
async function writePlan(
  ctx: AppContext,
  user: AuthUser,
  projectId: string,
  plan: ImportPlan,
  mode: ImportMode,
  control: RunControl,
): Promise<ImportResult['imported']> {
  const db = ctx.database.db
  const total = plan.newImages.length + plan.slots.length
  control.progress('write', 0, total)
  const added = plan.newImages.length
    ? await storeNewImages(ctx, projectId, plan.newImages, plan.warnings, (stored) =>
        control.progress('write', stored, total),
      )
    : new Map()
  control.progress('write', plan.newImages.length, total)

  const wanted = [
    ...plan.labels,
    ...plan.slots.flatMap((slot) => slot.regions.map((r) => ({ name: r.label }))),
    ...plan.slots.flatMap((slot) => slot.tags.map((name) => ({ name }))),
  ]
  const { idsByName, created } = await ensureLabels(db, projectId, wanted)
  // In replace mode only documents that hold regions now need clearing.
  const present = mode === 'replace' ? await countRegionsByAsset(db, projectId, plan.layer) : null
  let regionCount = 0
  let done = plan.newImages.length
  const now = Date.now()
  // Adding to a document needs nothing of what it holds, so additions go in bulk (a few
  // multi-row inserts per chunk); clearing a layer first is done document by document.
  // TODO(#3): 100,000 regions still take 12-16 s here on PGlite, ~9 s of it inserting their
  // projection rows; projecting in the background after the log is written would bring the
  // import near its parse time (the target is 5 s).
  let batch: { name: string; add: (doc: Y.Doc) => void }[] = []
  const flushBatch = async () => {
    await ctx.documents.appendMany(batch)
    done += batch.length
    batch = []
    control.progress('write', done, total)
  }
  for (const slot of plan.slots) {
    const asset = slot.pending ? added.get(slot.asset.fileName) : slot.asset
    if (!asset) continue
    const clear = (present?.get(asset.id) ?? 0) > 0
    if (slot.regions.length === 0 && slot.tags.length === 0 && !clear) continue
    const newRegions = slot.regions.map((region) => toNewRegion(region, idsByName))
    const tagIds = slot.tags.flatMap((name) => idsByName.get(name) ?? [])
    const add = (doc: Y.Doc) => {
      for (const region of newRegions) addRegion(doc, region, user.id, now)
      for (const labelId of tagIds) getTagsMap(doc).set(labelId, true)
    }
    const name = formatDocumentName(asset.id, plan.layer)
    if (clear) {
      await ctx.documents.transact(name, (doc) => {
        getRegionsMap(doc).clear()
        getTagsMap(doc).clear()
        add(doc)
      })
    } else {
      batch.push({ name, add })
      if (batch.length >= WRITE_BATCH) await flushBatch()
    }
    regionCount += newRegions.length
  }
  await flushBatch()
  // The asset list counts regions from their projection; flushing makes it show the import
  // as soon as this answer arrives.
  await ctx.documents.flush()
  control.progress('write', total, total)
  const images = plan.slots.filter((s) => !s.pending || added.has(s.asset.fileName)).length
  return { images, regions: regionCount, labels: created, assets: added.size }
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
