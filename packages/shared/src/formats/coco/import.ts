import { parseJson, parseWithSchema } from '../common/json.ts'
import { baseName, dirName, itemKey, newItem, normalizePath } from '../paths.ts'
import { isBlankLabel, skipUnlabelled } from '../common/labels.ts'
import { ReportBuilder } from '../common/report.ts'
import type {
  ConversionReport,
  FileSet,
  InterchangeDataset,
  InterchangeItem,
  InterchangeLabel,
  InterchangeRegion,
} from '../model.ts'
import { FormatError } from '../model.ts'
import { annotationToRegions } from './annotation-import.ts'
import { COCO_EXTRAS_KEY, readFileExtras, readImageExtras } from './extras.ts'
import { cocoFileSchema } from './schema.ts'
import {
  SKIPPED_TASKS,
  cocoTaskOf,
  panopticImages,
  panopticPngPaths,
  type CocoTask,
} from './tasks.ts'
import type { CocoCategory } from './schema.ts'

export type CocoImportOptions = {
  /**
   * Subset for the items of a single annotation file. By default it is read from names like
   * `instances_val2017.json` (subset `val2017`), and is empty otherwise.
   */
  subset?: string
}

/** The subset a COCO file name implies: `instances_train.json` gives `train`. */
export function subsetFromFileName(file: string): string {
  const match =
    /^(?:instances|person_keypoints|panoptic|labels|captions|image_info|stuff)_(.+)\.json$/i.exec(
      baseName(file),
    )
  return match?.[1] ?? ''
}

/**
 * Imports COCO instances (boxes, polygons, RLE masks, keypoints). Each `.json` file in the set is
 * one annotation file; several files become several subsets, and files of several tasks for one
 * subset (`instances_train.json`, `person_keypoints_train.json`) join on the same items. An
 * annotation another file repeats (same id, image and category) is one object: its shape is not
 * added twice, and keypoints the copy adds are grouped with it; the joins are counted. A
 * labels file (annotations with a category and no geometry) gives image tags. Files of tasks
 * Concord does not import (captions, panoptic) are left out with a warning, and so is a file
 * listing images only when other files carry the annotations (see `tasks.ts`); `notImages`
 * lists the panoptic PNGs of the input, which are no photos to label.
 *
 * Image entries naming one file (in one file, or in the files of several tasks) are one item;
 * they must agree on its size. Category ids may start at 0 and have gaps; repeated annotation
 * ids are kept apart and renumbered with a warning. Image fields beyond id, name and size (`license`, `coco_url`,
 * `date_captured`, ...) are kept in `item.attributes.coco`, and top-level blocks such as `info`
 * and `licenses` in `dataset.meta.coco`, so that an export writes them back.
 */
export function importCoco(
  files: FileSet,
  options: CocoImportOptions = {},
): { dataset: InterchangeDataset; report: ConversionReport; notImages: string[] } {
  const report = new ReportBuilder()
  const labels: InterchangeLabel[] = []
  const labelNames = new Set<string>()
  const items = new Map<string, InterchangeItem>()
  // The first image entry of each item, whose size every later entry naming its file must give.
  const entryOf = new Map<string, ImageEntry>()
  // The first annotation of each id, image and category, which later files' copies join.
  const readAnnotations = new Map<string, ReadAnnotation>()
  let meta: Record<string, unknown> | undefined
  const allJson = [...files.keys()].filter((f) => f.toLowerCase().endsWith('.json')).sort()
  if (allJson.length === 0) throw new FormatError('(files)', undefined, 'no COCO .json file')

  // Files are classified first, so that the subset rules below count only the files read. A
  // lone file keeps its parse; several are parsed again one at a time, to hold one in memory.
  const tasks = new Map<string, CocoTask>()
  const panopticPngs = new Set<string>()
  let lone: unknown
  for (const file of allJson) {
    const value = parseJson(file, files.get(file)!)
    const task = cocoTaskOf(value)
    tasks.set(file, task)
    if (allJson.length === 1) lone = value
    if (task === 'panoptic') for (const png of panopticPngPaths(file, value)) panopticPngs.add(png)
  }
  const notImages = panopticImages(files.keys(), panopticPngs)
  const annotated = allJson.filter((f) => tasks.get(f) === 'instances' || tasks.get(f) === 'labels')
  const jsonFiles =
    annotated.length > 0 ? annotated : allJson.filter((f) => tasks.get(f) === 'image_info')
  for (const file of allJson) {
    const why = SKIPPED_TASKS[tasks.get(file)!]
    if (why && !jsonFiles.includes(file)) report.warn({ code: 'skipped', message: why, file })
  }

  for (const file of jsonFiles) {
    const subset =
      jsonFiles.length === 1 && options.subset !== undefined
        ? options.subset
        : subsetFromFileName(file) || (jsonFiles.length > 1 ? unnamedSubset(file, jsonFiles) : '')
    const raw = allJson.length === 1 ? lone : parseJson(file, files.get(file)!)
    const coco = parseWithSchema(file, cocoFileSchema, raw)
    const tagsOnly = tasks.get(file) === 'labels'
    // Several files (train, val) repeat one `info` and `licenses`; the first file's are kept.
    meta ??= readFileExtras(coco)

    const categoryName = readCategories(file, coco.categories ?? [], labels, labelNames, report)

    const itemOfImage = new Map<string, InterchangeItem>()
    const claimed = new Set<InterchangeItem>()
    coco.images.forEach((image, i) => {
      const idKey = String(image.id)
      if (itemOfImage.has(idKey)) {
        throw new FormatError(file, `images[${i}].id`, `image id ${idKey} is used twice`)
      }
      const path = normalizePath(image.file_name)
      const key = itemKey(subset, path)
      const entry = { file, where: `images[${i}]`, width: image.width, height: image.height }
      const earlier = entryOf.get(key)
      if (earlier) checkSameSize(earlier, entry, path)
      else entryOf.set(key, entry)
      let item = items.get(key)
      // Another task's file for the same subset names the same images: no duplicate there.
      if (item && claimed.has(item)) {
        report.count(
          'other',
          'two image entries name one file; their annotations were joined',
          file,
        )
      } else if (!item) {
        item = newItem(subset, path, image)
        const extras = readImageExtras(image)
        if (extras) item.attributes = { [COCO_EXTRAS_KEY]: extras }
        items.set(key, item)
      }
      itemOfImage.set(idKey, item)
      claimed.add(item)
    })

    const annotations = coco.annotations ?? []
    const seenIds = new Set<string>()
    let nextId = maxNumericId(annotations.map((a) => a.id)) + 1
    annotations.forEach((ann, i) => {
      const where = `annotations[${i}]`
      const item = itemOfImage.get(String(ann.image_id))
      if (!item)
        throw new FormatError(file, `${where}.image_id`, `no image with id ${ann.image_id}`)
      const label = categoryName.get(String(ann.category_id))
      if (label === undefined) {
        throw new FormatError(
          file,
          `${where}.category_id`,
          `no category with id ${ann.category_id}`,
        )
      }
      if (isBlankLabel(label)) return skipUnlabelled(report, file, where, 'annotation')
      if (tagsOnly) {
        if (!item.tags.includes(label)) item.tags.push(label)
        return
      }
      let group: string | number = ann.id ?? `${where}`
      let joinKey: string | undefined
      if (ann.id !== undefined) {
        const idKey = String(ann.id)
        if (seenIds.has(idKey)) {
          group = nextId++
          report.warn({
            code: 'renumbered',
            message: `annotation id ${idKey} is used more than once; this one was kept apart as ${group}`,
            file,
            path: `${where}.id`,
          })
        } else if (jsonFiles.length > 1) {
          // Only another file can repeat an annotation; a lone file keeps no index of them.
          joinKey = `${item.key}\u0000${idKey}\u0000${label}`
        }
        seenIds.add(idKey)
      }
      // Two files may both use an id on one image; the file keeps their instances apart.
      const fileGroup = jsonFiles.length > 1 ? `${file}#${group}` : group
      const regions = annotationToRegions(ann, {
        file,
        where,
        label,
        width: item.width,
        height: item.height,
        report,
        group: fileGroup,
      })
      const earlier = joinKey !== undefined ? readAnnotations.get(joinKey) : undefined
      if (earlier && joinAnnotation(item, earlier, regions)) {
        report.count('other', JOINED, file)
        return
      }
      if (earlier) report.count('other', NOT_JOINED, file)
      else if (joinKey !== undefined) readAnnotations.set(joinKey, { regions, group: fileGroup })
      item.regions.push(...regions)
      const mask = regions.find((r) => r.kind === 'mask')
      if (mask?.kind === 'mask' && !item.width && !item.height) {
        // An image entry without a size still has one: its masks are sized to it.
        item.width = mask.geometry.width
        item.height = mask.geometry.height
      }
    })
  }

  const dataset: InterchangeDataset = { labels, items: [...items.values()] }
  if (meta) dataset.meta = { [COCO_EXTRAS_KEY]: meta }
  return { dataset, report: report.build(), notImages }
}

/** An image entry as read, for the entries after it that name the same file. */
type ImageEntry = {
  file: string
  where: string
  width?: number | null | undefined
  height?: number | null | undefined
}

/**
 * Refuses a second image entry for one file (in the same COCO file or another task's) that gives
 * it another size: the annotations of the two could not both be right on one image.
 */
function checkSameSize(first: ImageEntry, entry: ImageEntry, path: string): void {
  const differs = (a?: number | null, b?: number | null) => a != null && b != null && a !== b
  if (!differs(first.width, entry.width) && !differs(first.height, entry.height)) return
  const size = (e: ImageEntry) => `${e.width ?? '?'}x${e.height ?? '?'}`
  const at = first.file === entry.file ? first.where : `${first.where} of ${first.file}`
  throw new FormatError(
    entry.file,
    entry.where,
    `image ${path} is ${size(entry)} here but ${size(first)} at ${at}`,
  )
}

/** The regions one annotation was read into, and the group they share or will share. */
type ReadAnnotation = { regions: InterchangeRegion[]; group: string | number }

const JOINED =
  'annotations repeated from another file (same id, image and category) were joined to the first; keypoints they add went to its object'
const NOT_JOINED =
  'annotations with the id, image and category of one in another file but another shape were kept apart'

/**
 * Joins a copy of an annotation read from another task's file (COCO's `person_keypoints` repeats
 * each person of `instances`, adding keypoints) to the regions read first: shapes already there
 * are not added twice, and keypoints the first lacks go in after its regions, all of them in one
 * group as `annotationToRegions` groups one annotation. Returns false, changing nothing, when the
 * copy has a shape or keypoints of its own that differ, so it is not the same object.
 */
function joinAnnotation(
  item: InterchangeItem,
  earlier: ReadAnnotation,
  regions: InterchangeRegion[],
): boolean {
  const added = regions.filter((region) => !earlier.regions.some((e) => sameShape(e, region)))
  const hasKeypoints = earlier.regions.some((e) => e.kind === 'keypoints')
  if (added.some((region) => region.kind !== 'keypoints') || (added.length && hasKeypoints)) {
    return false
  }
  if (added.length === 0) return true
  const last = earlier.regions.at(-1)!
  for (const region of [...earlier.regions, ...added]) region.group = earlier.group
  item.regions.splice(item.regions.lastIndexOf(last) + 1, 0, ...added)
  earlier.regions.push(...added)
  return true
}

/**
 * Whether a region repeats one read before: same kind and geometry, or a box equal to the
 * `bbox` the earlier annotation declared beside its segmentation.
 */
function sameShape(earlier: InterchangeRegion, region: InterchangeRegion): boolean {
  if (earlier.kind === region.kind) {
    return JSON.stringify(earlier.geometry) === JSON.stringify(region.geometry)
  }
  if (region.kind !== 'bbox') return false
  const { x, y, w, h } = region.geometry
  return JSON.stringify(earlier.extra?.cocoBbox) === JSON.stringify([x, y, w, h])
}

function readCategories(
  file: string,
  categories: CocoCategory[],
  labels: InterchangeLabel[],
  labelNames: Set<string>,
  report: ReportBuilder,
): Map<string, string> {
  const nameOfId = new Map<string, string>()
  const namesHere = new Set<string>()
  categories.forEach((category, i) => {
    const idKey = String(category.id)
    if (nameOfId.has(idKey)) {
      throw new FormatError(file, `categories[${i}].id`, `category id ${idKey} is used twice`)
    }
    const repeated = namesHere.has(category.name)
    namesHere.add(category.name)
    nameOfId.set(idKey, category.name)
    // A category without a name is no label; its annotations are left out one by one.
    if (isBlankLabel(category.name)) return
    if (repeated) {
      report.count('other', 'two categories share a name; they were joined into one label', file)
    }
    // Files of one dataset (train, val, keypoints) repeat its categories: one label each, with
    // the keypoint names and skeleton of whichever file has them (`person_keypoints_*.json`
    // beside an `instances_*.json` whose person has none).
    if (labelNames.has(category.name)) {
      const label = labels.find((l) => l.name === category.name)
      if (label && !label.keypoints?.length && category.keypoints?.length) {
        label.keypoints = [...category.keypoints]
        if (category.skeleton)
          label.skeleton = category.skeleton.map(([a, b]) => [a, b] as [number, number])
      }
      return
    }
    labelNames.add(category.name)
    labels.push({
      name: category.name,
      ...(category.supercategory ? { supercategory: category.supercategory } : {}),
      ...(category.keypoints ? { keypoints: [...category.keypoints] } : {}),
      ...(category.skeleton
        ? { skeleton: category.skeleton.map(([a, b]) => [a, b] as [number, number]) }
        : {}),
    })
  })
  return nameOfId
}

function maxNumericId(ids: (string | number | undefined)[]): number {
  let max = 0
  for (const id of ids) if (typeof id === 'number' && id > max) max = id
  return max
}

/**
 * The subset of one of several files whose name says none: its own name (`part1.json`), or,
 * when several files share that name (Roboflow's `train/_annotations.coco.json` beside
 * `valid/_annotations.coco.json`), the folder holding it, a generic `annotations` folder
 * passed over.
 */
function unnamedSubset(file: string, files: readonly string[]): string {
  const own = stem(file)
  if (files.filter((other) => stem(other) === own).length < 2) return own
  const folders = dirName(file).split('/').filter(Boolean)
  if (/^annotations?$/i.test(folders.at(-1) ?? '')) folders.pop()
  return folders.at(-1) ?? own
}

function stem(file: string): string {
  return baseName(file).replace(/\.json$/i, '')
}
