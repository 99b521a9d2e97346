import { z } from 'zod'
import { annotationToRegions } from '../coco/annotation-import.ts'
import { groupInstances, instanceToAnnotation } from '../coco/annotation-export.ts'
import type { CocoAnnotationOptions } from '../coco/annotation-export.ts'
import { cocoCategoryIds } from '../coco/export.ts'
import { cocoAnnotationSchema } from '../coco/schema.ts'
import type { CocoAnnotationOut } from '../coco/schema.ts'
import { encodeJson, parseJson, parseWithSchema } from '../common/json.ts'
import { isBlankLabel, skipUnlabelled } from '../common/labels.ts'
import { ReportBuilder } from '../common/report.ts'
import type { ConversionReport, FileSet, InterchangeDataset, InterchangeItem } from '../model.ts'
import { FormatError } from '../model.ts'
import { itemKey, newItem, normalizePath } from '../paths.ts'

/** An image the results refer to, by its COCO id. */
export type CocoResultsImage = {
  id: number | string
  path: string
  subset?: string
  width?: number
  height?: number
}
export type CocoResultsCategory = { id: number | string; name: string }

export type CocoResultsImportOptions = {
  /** The images of the dataset the results were made on: results carry only ids. */
  images: CocoResultsImage[]
  categories: CocoResultsCategory[]
}

export type CocoResultsExportOptions = CocoAnnotationOptions & {
  /** Ids to write; by default images are numbered 1..N in item order, categories as COCO export does. */
  images?: CocoResultsImage[]
  categories?: CocoResultsCategory[]
  fileName?: string
}

const resultsSchema = z.array(cocoAnnotationSchema)

/** How results ids get their meaning, for the error when one has none. */
const IDS_HELP =
  '; results ids are those of the COCO instances file sent beside them in a zip, else those a COCO export of the project gives'

/**
 * Imports COCO results (a bare array of detections) as model predictions: each entry becomes
 * regions with `source: 'model'` and its `score`. The image list and categories come from the
 * caller; an unknown id is a FormatError naming the entry.
 */
export function importCocoResults(
  files: FileSet,
  options: CocoResultsImportOptions,
): { dataset: InterchangeDataset; report: ConversionReport } {
  const report = new ReportBuilder()
  const items = new Map<string, InterchangeItem>()
  const itemOfId = new Map<string, InterchangeItem>()
  for (const image of options.images ?? []) {
    const path = normalizePath(image.path)
    const subset = image.subset ?? ''
    const key = itemKey(subset, path)
    const item = items.get(key) ?? newItem(subset, path, image)
    items.set(key, item)
    itemOfId.set(String(image.id), item)
  }
  const nameOf = new Map((options.categories ?? []).map((c) => [String(c.id), c.name]))

  // A zip exported with its images carries them beside the results: only .json is results.
  const jsonFiles = [...files.keys()].filter((f) => f.toLowerCase().endsWith('.json')).sort()
  if (jsonFiles.length === 0) {
    throw new FormatError('(files)', undefined, 'no COCO results .json file')
  }
  for (const file of jsonFiles) {
    const results = parseWithSchema(file, resultsSchema, parseJson(file, files.get(file)!))
    results.forEach((entry, i) => {
      const where = `[${i}]`
      const item = itemOfId.get(String(entry.image_id))
      if (!item) {
        const known = itemOfId.size === 0 ? ' (there are no images to number)' : ''
        throw new FormatError(
          file,
          `${where}.image_id`,
          `no image with id ${entry.image_id}${known}${IDS_HELP}`,
        )
      }
      const label = nameOf.get(String(entry.category_id))
      if (label === undefined) {
        const known = nameOf.size === 0 ? ' (there are no categories to number)' : ''
        throw new FormatError(
          file,
          `${where}.category_id`,
          `no category with id ${entry.category_id}${known}${IDS_HELP}`,
        )
      }
      if (isBlankLabel(label)) return skipUnlabelled(report, file, where, 'result')
      const regions = annotationToRegions(entry, {
        file,
        where,
        label,
        width: item.width,
        height: item.height,
        report,
        group: `${file}${where}`,
      })
      for (const region of regions) {
        region.source = 'model'
        region.score = entry.score ?? null
      }
      item.regions.push(...regions)
    })
  }
  const labels = (options.categories ?? [])
    .filter((c) => !isBlankLabel(c.name))
    .map((c) => ({ name: c.name }))
  return { dataset: { labels, items: [...items.values()] }, report: report.build() }
}

/**
 * Exports every region as a COCO results entry (`image_id`, `category_id`, `bbox` or
 * `segmentation`, `score`). Regions without a score are written with score 1 and counted.
 */
export function exportCocoResults(
  dataset: InterchangeDataset,
  options: CocoResultsExportOptions = {},
): { files: FileSet; report: ConversionReport } {
  const report = new ReportBuilder()
  const categoryIds = new Map<string, number | string>(
    options.categories?.map((c) => [c.name, c.id]) ?? cocoCategoryIds(dataset, report),
  )
  const imageIds = new Map<string, number | string>(
    options.images?.map((im) => [itemKey(im.subset ?? '', normalizePath(im.path)), im.id]) ??
      dataset.items.map((item, i) => [item.key, i + 1]),
  )
  const results: CocoAnnotationOut[] = []
  for (const item of dataset.items) {
    const imageId = imageIds.get(item.key)
    if (imageId === undefined) {
      report.warn({
        code: 'unmatched-image',
        message: `no image id for ${item.key}; its regions left out`,
      })
      continue
    }
    for (const instance of groupInstances(item)) {
      const categoryId = categoryIds.get(instance[0]!.label)
      if (categoryId === undefined) {
        report.count('unknown-label', `label "${instance[0]!.label}" has no category id; left out`)
        continue
      }
      const ann = instanceToAnnotation(instance, item, options, report)
      if (!ann) continue
      if (ann.score === undefined)
        report.count('other', 'region without a score written with score 1')
      // Results carry no crowd flag or area, and pycocotools' loadRes takes any `segmentation`
      // key, even an empty one, for a segmentation result.
      const { iscrowd, area, segmentation, ...rest } = ann
      void iscrowd
      void area
      if (segmentation && !(Array.isArray(segmentation) && segmentation.length === 0)) {
        Object.assign(rest, { segmentation })
      }
      results.push({ image_id: imageId, category_id: categoryId, ...rest, score: ann.score ?? 1 })
    }
  }
  return {
    files: new Map([[options.fileName ?? 'results.json', encodeJson(results)]]),
    report: report.build(),
  }
}
