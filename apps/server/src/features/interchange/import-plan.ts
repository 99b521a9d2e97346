import { setImmediate as yieldToLoop } from 'node:timers/promises'
import { createHash } from 'node:crypto'
import { parseGeometry, type Layer, type MaskGeometry } from '@concord/shared'
import {
  type FileSet,
  type FormatEntry,
  type FormatName,
  type InterchangeDataset,
  type InterchangeItem,
  type InterchangeLabel,
  type InterchangeRegion,
  type ReportEntry,
} from '@concord/shared/formats/index'
import type { AppContext } from '../../context.ts'
import { createAssetMatcher, type AssetMatcher } from './asset-matcher.ts'
import { fitRegionToImage } from '@concord/shared/formats/fit'
import { orientRegion } from '@concord/shared/formats/orient'
import type { Orientation } from '@concord/shared/geometry/index'
import { baseName, freeName, isImagePath, normalizePath } from '@concord/shared/formats/paths'
import { AppError, type ErrorDetails } from '../../lib/errors.ts'
import { listAssetRows, type AssetRow } from '../assets/queries.ts'
import { listLabels } from '../projects/queries.ts'
import { checkCancelled, type RunControl } from './control.ts'
import { holdsBytes, imageSources, storedFrameOrientations } from './image-identity.ts'
import {
  imageEntries,
  isPending,
  pendingAsset,
  probeNewImages,
  type MatchableAsset,
  type NewImage,
} from './new-images.ts'
import { resolveResultsIds } from './results-ids.ts'

/**
 * The files that make a dataset of formats which also make an item of every image they are
 * given: an upload with none of them is another format's, or images alone.
 */
const OWN_FILES: Partial<Record<FormatName, (name: string) => boolean>> = {
  yolo: (name) => /\.(txt|ya?ml|names|data)$/i.test(name) && !/(^|\/)ImageSets\//i.test(name),
  voc: (name) => /\.xml$/i.test(name),
}

/** Items checked per progress report and cancellation check while matching. */
const MATCH_STEP = 500

/** The regions an import gives one asset; `pending` assets are images the import adds. */
export type AssetSlot = {
  asset: MatchableAsset
  pending: boolean
  regions: InterchangeRegion[]
  /** Whole-image tags, by label name. */
  tags: string[]
  /** Item fields the format carries but Concord does not edit (COCO `license`...), kept for export. */
  attributes: Record<string, unknown>
  /** Where the first item matched to the asset sits in its dataset: its subset and path. */
  item: { subset: string; path: string }
}

/** Everything an import will write, worked out and checked before anything is written. */
export type ImportPlan = {
  layer: Layer
  labels: InterchangeLabel[]
  newImages: NewImage[]
  slots: AssetSlot[]
  /** Dataset-level blocks the format carries (COCO `info`, `licenses`), kept for export. */
  meta: Record<string, unknown>
  warnings: ReportEntry[]
}

/**
 * The report's name inside an export zip. Imports set a file of this name at the root aside, so
 * that an export goes back in as it came out.
 */
export const EXPORT_REPORT_FILE = 'concord-report.json'

/**
 * Phases `parse` and `match` of an import: reads the files, sizes the images it carries, matches
 * items to assets and checks every region, without writing. Throws a 400 naming the file and
 * place for malformed input. Cancellation is honoured between steps.
 */
export async function planImport(
  ctx: AppContext,
  projectId: string,
  entry: FormatEntry,
  format: FormatName,
  files: FileSet,
  options: { layer: Layer; formatOptions: Record<string, unknown> },
  control: RunControl,
): Promise<ImportPlan> {
  const db = ctx.database.db
  const warnings: ReportEntry[] = []
  const exportedFrom = imageSources(files.get(EXPORT_REPORT_FILE))
  files = new Map([...files].filter(([name]) => name !== EXPORT_REPORT_FILE))
  const existing = await listAssetRows(db, projectId)
  // A carried image is new unless an asset has its path; a base name alone is not enough.
  const known = createAssetMatcher(existing, { byBaseName: false })

  // A carried image with the bytes of an asset is that asset under the zip's name (an export
  // with its images, imported back): matched there, never added twice.
  const byContent = new Map<string, AssetRow[]>()
  for (const asset of existing)
    byContent.set(asset.blobHash, [...(byContent.get(asset.blobHash) ?? []), asset])
  const aliases: MatchableAsset[] = []
  // Images in a zip that the project lacks are sized now and stored only once all is checked.
  const isStored = ([path, bytes]: [string, Uint8Array]) => {
    const same = byContent.get(createHash('sha256').update(bytes).digest('hex'))
    if (!same) return false
    // Bytes several assets share are told apart by the export's own record, else by name.
    const asset =
      same.length === 1
        ? same[0]
        : (same.find((a) => a.fileName === exportedFrom.get(path)) ??
          createAssetMatcher(same)(path))
    if (asset) aliases.push({ ...asset, fileName: path })
    else {
      const names = same.map((a) => a.fileName)
      warnings.push({
        code: 'other',
        message: `${path} has the same bytes as ${names.length} images in the project (${names.slice(0, 3).join(', ')}${names.length > 3 ? ', ...' : ''}) and a name none of them has: it was not added again, and annotations naming it match by name alone`,
        file: path,
      })
    }
    return true
  }
  const carried = imageEntries(files).filter((entry) => !known(entry[0]) && !isStored(entry))
  const newImages = await probeNewImages(carried, control, warnings)
  // An asset an import placed is also found where its dataset had it (`train/1.jpg`); its own
  // file name, listed after, wins when the two collide.
  const placed = existing.flatMap((asset) =>
    asset.itemPath !== null || asset.subset
      ? [{ ...asset, fileName: joinSubset(asset.subset, asset.itemPath ?? asset.fileName) }]
      : [],
  )
  const matchable = () => [...placed, ...existing, ...aliases, ...newImages.map(pendingAsset)]
  let match: AssetMatcher<MatchableAsset> = createAssetMatcher<MatchableAsset>(matchable())
  const sizeOf = (path: string) => {
    const asset = match(path)
    return asset ? { width: asset.width, height: asset.height } : undefined
  }

  let input = files
  const formatOptions: Record<string, unknown> = { ...options.formatOptions, sizeOf }
  if (format === 'coco-results') {
    const ids = resolveResultsIds(files, existing, await listLabels(db, [projectId]))
    input = ids.files
    Object.assign(formatOptions, { images: ids.images, categories: ids.categories })
  }
  checkCancelled(control)
  control.progress('parse', carried.length, carried.length + 1)
  // A FormatError (malformed input) becomes a 400 naming file and place in `toAppError`.
  await yieldToLoop()
  const result = entry.import(input, formatOptions)
  // Reading, matching and checking are synchronous: between them, other requests and live
  // edits get their turn (PGlite answers within the same turn, so awaits alone do not give one).
  await yieldToLoop()
  warnings.push(...result.report.warnings)
  // Images the format read as annotations (VOC's segmentation PNGs) are not photos to add.
  if (result.notImages && result.notImages.length > 0) {
    const notImages = new Set(result.notImages)
    const photos = newImages.filter((image) => !notImages.has(normalizePath(image.fileName)))
    newImages.splice(0, newImages.length, ...photos)
    match = createAssetMatcher<MatchableAsset>(matchable())
  }

  // labelme carries images inline (`imageData`); those the project lacks are added the same way.
  const embedded =
    result.images instanceof Map ? [...(result.images as Map<string, Uint8Array>)] : []
  const aliased = aliases.length
  // Formats that know which file is each item's image (YOLO's renamed `a_png.png`) say so.
  const imageFiles = new Map<string, string>(
    result.imageFiles instanceof Map ? (result.imageFiles as Map<string, string>) : [],
  )
  const inline: [string, Uint8Array][] = []
  for (const entry of embedded) {
    const named = match(entry[0])
    if (isStored(entry)) continue
    if (!named) inline.push(entry)
    else if (!holdsBytes(named, entry[1], newImages)) {
      // Another image already has the name: the embedded one is its item's image all the same,
      // added under a name of its own rather than its regions put on the other.
      const own = freeName(entry[0], (name) => match(name) !== undefined)
      inline.push([own, entry[1]])
      for (const item of result.dataset.items)
        if (item.path === entry[0]) imageFiles.set(item.key, own)
      warnings.push({
        code: 'other',
        message: `the image embedded for ${entry[0]} is not the project's ${named.fileName}; added as ${own}`,
        file: entry[0],
      })
    }
  }
  if (inline.length > 0 || aliases.length > aliased) {
    newImages.push(...(await probeNewImages(inline, control, warnings)))
    match = createAssetMatcher<MatchableAsset>(matchable())
  }
  control.progress('parse', 1, 1)

  const { items, labels } = result.dataset
  // A file of another format reads as nothing in this one: say so rather than import nothing,
  // nor only the images a zip carries (formats that make an item of every image would).
  const annotated = items.some((item) => item.regions.length > 0 || item.tags.length > 0)
  // Items with nothing on them still count when the format's own files made them (a VOC export
  // of a project with tags only); items a format made of bare images do not.
  const ownFile = OWN_FILES[format] ?? ((name: string) => !isImagePath(name))
  const described = items.length > 0 && [...input.keys()].some(ownFile)
  if (format !== 'coco-results' && labels.length === 0 && !annotated && !described) {
    const names = [...input.keys()].filter((name) => !isImagePath(name))
    const shown = names.slice(0, 3).join(', ') + (names.length > 3 ? ', ...' : '')
    throw new AppError(
      'invalid_format',
      `Found no ${format} annotations in ${shown || 'the upload'}; is it another format?`,
      { file: names[0] ?? '', path: [], warnings: result.report.warnings.slice(0, 10) },
    )
  }
  const assetOf = (item: InterchangeItem) => {
    const imageFile = imageFiles.get(item.key)
    return (
      (imageFile !== undefined ? match(imageFile) : undefined) ??
      match(item.path, item.subset || undefined)
    )
  }
  const turned = await storedFrameOrientations(ctx, items, assetOf, newImages)
  // For saying why an item matched nothing: the images that share its base name.
  const byBaseName = new Map<string, Map<string, string>>()
  // Each image under its own file name first, then the names it is also found by.
  for (const asset of [...existing, ...newImages.map(pendingAsset), ...matchable()]) {
    const key = baseName(normalizePath(asset.fileName)).toLowerCase()
    const same = byBaseName.get(key) ?? new Map<string, string>()
    if (!same.has(asset.id)) same.set(asset.id, asset.fileName)
    byBaseName.set(key, same)
  }
  const namesakes = (path: string) => [
    ...(byBaseName.get(baseName(normalizePath(path)).toLowerCase())?.values() ?? []),
  ]
  const slots = matchItems(result.dataset, assetOf, turned, namesakes, control, warnings)
  await yieldToLoop()
  checkRegions(slots)
  await yieldToLoop()
  return {
    layer: options.layer,
    // When the file's images are none of the project's, or every region it has was left out,
    // nothing is imported, labels neither.
    labels:
      (items.length > 0 && slots.length === 0) || (annotated && !writesAny(slots)) ? [] : labels,
    newImages,
    slots,
    meta: result.dataset.meta ?? {},
    warnings,
  }
}

function matchItems(
  dataset: InterchangeDataset,
  assetOf: (item: InterchangeItem) => MatchableAsset | undefined,
  turned: Map<string, Orientation>,
  namesakes: (path: string) => string[],
  control: RunControl,
  warnings: ReportEntry[],
): AssetSlot[] {
  const slots = new Map<string, AssetSlot>()
  const claimedBy = new Map<string, string>()
  const outside = { clamped: 0, skipped: 0 }
  let oriented = 0
  const ambiguous = new Set<string>()
  dataset.items.forEach((item, i) => {
    if (i % MATCH_STEP === 0) {
      checkCancelled(control)
      control.progress('match', i, dataset.items.length)
    }
    const asset = assetOf(item)
    // Two different items on one image would merge their regions: neither is trusted.
    const owner = asset ? claimedBy.get(asset.id) : undefined
    if (asset && owner !== undefined && owner !== item.key) {
      ambiguous.add(asset.id)
      warnings.push({
        code: 'unmatched-image',
        message: `${owner} and ${item.key} both match the image ${asset.fileName}; upload the images with their folders (or import them in the zip) so each has its own; neither was imported`,
        file: item.key,
      })
      return
    }
    if (asset) claimedBy.set(asset.id, item.key)
    if (!asset) {
      const same = namesakes(item.path)
      const message =
        same.length > 1
          ? `${item.path} could be any of ${same.length} images of that name (${same.slice(0, 3).join(', ')}${same.length > 3 ? ', ...' : ''}) and its folders tell none apart; its ${item.regions.length} regions were skipped`
          : `no image ${item.path} in the project; its ${item.regions.length} regions were skipped`
      warnings.push({ code: 'unmatched-image', message, file: item.path })
      return
    }
    const orientation = turned.get(asset.id)
    let regions = item.regions
    if (orientation !== undefined && item.width && item.height) {
      regions = regions.map((r) => orientRegion(r, orientation, item.width!, item.height!))
      oriented += 1
    } else if (
      item.width &&
      item.height &&
      (item.width !== asset.width || item.height !== asset.height)
    ) {
      warnings.push({
        code: 'other',
        message: `${item.path}: the file says ${item.width}x${item.height}, the image is displayed at ${asset.width}x${asset.height}; its regions were kept in pixels as the file gives them, not scaled (what reaches past the image is clipped)`,
        file: item.path,
      })
    }
    const slot = slots.get(asset.id) ?? {
      asset,
      pending: isPending(asset),
      regions: [],
      tags: [],
      attributes: {},
      item: { subset: item.subset, path: item.path },
    }
    Object.assign(slot.attributes, item.attributes)
    for (const region of regions) {
      const fitted = fitRegionToImage(region, asset.width, asset.height)
      if (fitted.changed) outside[fitted.region ? 'clamped' : 'skipped'] += 1
      if (fitted.region) slot.regions.push(fitted.region)
    }
    slot.tags.push(...item.tags)
    slots.set(asset.id, slot)
  })
  control.progress('match', dataset.items.length, dataset.items.length)
  summariseUnmatched(warnings)
  if (oriented > 0) {
    warnings.push({
      code: 'other',
      message:
        'annotations written against the stored pixels of photos whose EXIF orientation turns them (the size they declare is the stored one) were turned to the displayed image',
      count: oriented,
    })
  }
  if (outside.clamped > 0) {
    warnings.push({
      code: 'clamped',
      message: 'regions reaching outside their image were clipped to it',
      count: outside.clamped,
    })
  }
  if (outside.skipped > 0) {
    warnings.push({
      code: 'skipped',
      message: 'boxes wholly outside their image were left out',
      count: outside.skipped,
    })
  }
  return [...slots.values()].filter((slot) => !ambiguous.has(slot.asset.id))
}

/** Whether any matched image gets a region or a tag. */
function writesAny(slots: AssetSlot[]): boolean {
  return slots.some((slot) => slot.regions.length > 0 || slot.tags.length > 0)
}

/**
 * Refuses the import when any region's geometry does not fit its kind, or a mask is not the size
 * of its image: masks are stored at the image's displayed size, and a format sizes its masks to
 * the size its file declares, which may be another. (Formats see to it that a mask's counts fill
 * it: COCO and Concord refuse counts that do not, the rest build masks from pixels.)
 */
function checkRegions(slots: AssetSlot[]): void {
  for (const { asset, regions } of slots) {
    regions.forEach((region, i) => {
      const where = { file: asset.fileName, where: `regions[${i}]`, path: [] }
      if (parseGeometry(region.kind, region.geometry) === null) {
        throw new AppError(
          'invalid_format',
          `${asset.fileName}: region ${i} has an invalid ${region.kind}`,
          where,
        )
      }
      if (region.kind === 'mask') checkMask(asset, i, region.geometry, where)
      if (region.label.trim() === '') {
        throw new AppError('invalid_format', `${asset.fileName}: region ${i} has no label`, where)
      }
    })
  }
}

function checkMask(asset: MatchableAsset, i: number, mask: MaskGeometry, where: ErrorDetails) {
  if (mask.width === asset.width && mask.height === asset.height) return
  throw new AppError(
    'invalid_format',
    `${asset.fileName}: region ${i} is a ${mask.width}x${mask.height} mask on an image displayed at ${asset.width}x${asset.height}`,
    where,
  )
}

/** Unmatched images listed one by one, at most; the rest are counted in one warning. */
const UNMATCHED_LISTED = 20

function summariseUnmatched(warnings: ReportEntry[]): void {
  const unmatched = warnings.filter((w) => w.code === 'unmatched-image')
  if (unmatched.length <= UNMATCHED_LISTED) return
  const dropped = new Set(unmatched.slice(UNMATCHED_LISTED))
  const kept = warnings.filter((w) => !dropped.has(w))
  kept.push({
    code: 'unmatched-image',
    message: `and ${dropped.size} more images not matched; their regions were skipped`,
    count: dropped.size,
  })
  warnings.splice(0, warnings.length, ...kept)
}

function joinSubset(subset: string, path: string): string {
  return subset ? `${subset}/${path}` : path
}
