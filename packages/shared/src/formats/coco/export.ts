import { encodeJson } from '../common/json.ts'
import { chooseOption } from '../common/options.ts'
import { ReportBuilder } from '../common/report.ts'
import type { ConversionReport, FileSet, InterchangeDataset } from '../model.ts'
import { groupInstances, instanceToAnnotation } from './annotation-export.ts'
import type { CocoAnnotationOptions } from './annotation-export.ts'
import { writeFileExtras, writeImageEntry } from './extras.ts'
import type { CocoAnnotationOut } from './schema.ts'

export type CocoExportOptions = CocoAnnotationOptions & {
  /** File name for a dataset without subsets; default `annotations.json`. */
  fileName?: string
}

/** Category ids COCO tools expect: 1..N in label order; labels used but not declared follow. */
export function cocoCategoryIds(
  dataset: InterchangeDataset,
  report?: ReportBuilder,
): Map<string, number> {
  const ids = new Map<string, number>()
  for (const label of dataset.labels) if (!ids.has(label.name)) ids.set(label.name, ids.size + 1)
  for (const item of dataset.items) {
    for (const region of item.regions) {
      if (!ids.has(region.label)) {
        ids.set(region.label, ids.size + 1)
        report?.count('unknown-label', `label "${region.label}" is not declared; category added`)
      }
    }
  }
  return ids
}

/** Refuses option values COCO export does not know, naming the option. */
export function checkCocoExportOptions(options: CocoExportOptions): void {
  chooseOption('crowd', options.crowd, ['rle', 'skip'] as const, 'rle')
  chooseOption('rle', options.rle, ['uncompressed', 'compressed'] as const, 'uncompressed')
}

/**
 * Exports COCO instances: one file per subset (`annotations.json` without subsets,
 * `instances_<subset>.json` with them). Image, category and annotation ids run 1..N; images
 * without regions are kept; boxes are clipped to the image and clips counted; `area` comes from
 * the geometry. Image fields and top-level blocks (`info`, `licenses`) kept by the import are
 * written back.
 */
export function exportCoco(
  dataset: InterchangeDataset,
  options: CocoExportOptions = {},
): { files: FileSet; report: ConversionReport } {
  checkCocoExportOptions(options)
  const report = new ReportBuilder()
  const categoryIds = cocoCategoryIds(dataset, report)
  const labelByName = new Map(dataset.labels.map((l) => [l.name, l]))
  const categories = [...categoryIds].map(([name, id]) => {
    const label = labelByName.get(name)
    return {
      id,
      name,
      supercategory: label?.supercategory ?? '',
      ...(label?.keypoints ? { keypoints: label.keypoints } : {}),
      ...(label?.skeleton ? { skeleton: label.skeleton } : {}),
    }
  })

  const subsets = [...new Set(dataset.items.map((i) => i.subset))]
  if (subsets.length === 0) subsets.push('')
  const files: FileSet = new Map()
  // Ids run on across subset files, so files merged later still have unique ids.
  let nextImageId = 1
  let nextAnnotationId = 1
  for (const subset of subsets) {
    const images: Record<string, unknown>[] = []
    const annotations: CocoAnnotationOut[] = []
    for (const item of dataset.items.filter((i) => i.subset === subset)) {
      const imageId = nextImageId++
      if (!item.width || !item.height) {
        report.count(
          'missing-size',
          'image size unknown; width and height left out, boxes not clipped',
        )
      }
      images.push(writeImageEntry(item, imageId))
      for (const instance of groupInstances(item)) {
        const ann = instanceToAnnotation(instance, item, options, report)
        if (!ann) continue
        annotations.push({
          id: nextAnnotationId++,
          image_id: imageId,
          category_id: categoryIds.get(instance[0]!.label)!,
          ...ann,
        })
      }
    }
    const name = subset
      ? `instances_${subset.replace(/\//g, '_')}.json`
      : (options.fileName ?? 'annotations.json')
    files.set(
      name,
      encodeJson({ ...writeFileExtras(dataset.meta), images, annotations, categories }),
    )
  }
  for (const item of dataset.items) {
    if (item.tags.length) report.lossy('tag', 'COCO instances have no image-level tags')
  }
  return { files, report: report.build() }
}
