import { decodeText } from '../common/json.ts'
import { ReportBuilder } from '../common/report.ts'
import type { ConversionReport, InterchangeItem, InterchangeLabel } from '../model.ts'
import { groupInstances, instanceToAnnotation } from './annotation-export.ts'
import { checkCocoExportOptions, exportCoco, type CocoExportOptions } from './export.ts'
import { writeFileExtras, writeImageEntry } from './extras.ts'
import { COCO_CARRIES, fitItem } from '../fit.ts'

/** What the streaming writer reads: the label schema, then the items one at a time. */
export type CocoStreamSource = {
  labels: InterchangeLabel[]
  items: AsyncIterable<InterchangeItem> | Iterable<InterchangeItem>
  /** The dataset's file-level blocks (`meta.coco.info`, `licenses`), written first when present. */
  meta?: Record<string, unknown>
}

/** A COCO file being written: its text in pieces, and the report once the pieces are drained. */
export type CocoStream = {
  chunks: AsyncIterable<string>
  /** The conversion report; complete only after `chunks` has been read to its end. */
  report(): ConversionReport
}

/**
 * Writes COCO instances as a stream of text pieces, one item at a time, so that an export of
 * any size holds only one item's regions (plus a short line per image) in memory. After
 * `JSON.parse` the text equals the single file {@link exportCoco} writes for the same items:
 * the same ids (images and annotations 1..N in item order, categories 1..N in label order with
 * undeclared labels after them), the same clipping and the same report entries.
 *
 * Two differences in form, not content: `annotations` comes before `images` (image entries are
 * short, so they are held until the annotations are out; annotations could be millions), and
 * `categories` comes last (a label first met in a region is only known once it is met). Every
 * item goes into the one file whatever its subset; split subsets with `exportCoco`.
 */
export function writeCocoStream(
  source: CocoStreamSource,
  options: CocoExportOptions = {},
): CocoStream {
  checkCocoExportOptions(options)
  const report = new ReportBuilder()
  const categoryIds = new Map<string, number>()
  for (const label of source.labels) {
    if (!categoryIds.has(label.name)) categoryIds.set(label.name, categoryIds.size + 1)
  }
  const undeclared: string[] = []
  const images: string[] = []

  const categoryOf = (name: string): number => {
    let id = categoryIds.get(name)
    if (id === undefined) {
      id = categoryIds.size + 1
      categoryIds.set(name, id)
      undeclared.push(name)
      report.count('unknown-label', `label "${name}" is not declared; category added`)
    }
    return id
  }

  async function* chunks(): AsyncGenerator<string> {
    const extras = JSON.stringify(writeFileExtras(source.meta))
    yield `${extras === '{}' ? '{' : `${extras.slice(0, -1)},`}"annotations":[`
    let nextImageId = 1
    let nextAnnotationId = 1
    let written = false
    for await (const sourceItem of source.items) {
      // Fitted as `exportDataset` fits a whole dataset before `exportCoco`: clipped to the image.
      const item = fitItem(sourceItem, COCO_CARRIES, report)
      const imageId = nextImageId++
      if (!item.width || !item.height) {
        report.count(
          'missing-size',
          'image size unknown; width and height left out, boxes not clipped',
        )
      }
      images.push(JSON.stringify(writeImageEntry(item, imageId)))
      if (item.tags.length) report.lossy('tag', 'COCO instances have no image-level tags')
      const lines: string[] = []
      for (const instance of groupInstances(item)) {
        const categoryId = categoryOf(instance[0]!.label)
        const ann = instanceToAnnotation(instance, item, options, report)
        if (!ann) continue
        const id = nextAnnotationId++
        lines.push(JSON.stringify({ id, image_id: imageId, category_id: categoryId, ...ann }))
      }
      if (lines.length === 0) continue
      yield `${written ? ',' : ''}\n${lines.join(',\n')}`
      written = true
    }
    yield '\n],"images":[\n'
    // Image lines go out in slices so that no single piece grows with the dataset.
    for (let i = 0; i < images.length; i += IMAGES_PER_CHUNK) {
      const slice = images.slice(i, i + IMAGES_PER_CHUNK).join(',\n')
      yield i === 0 ? slice : `,\n${slice}`
    }
    yield `\n],"categories":${JSON.stringify(categoriesOf(source.labels, undeclared))}}\n`
  }

  return { chunks: chunks(), report: () => report.build() }
}

/** Image lines per piece of output: large enough that pieces are few, small enough to stay short. */
const IMAGES_PER_CHUNK = 1_000

/**
 * The categories exactly as `exportCoco` writes them, by asking it: the list depends only on the
 * labels, so a dataset of the labels alone gives the same entries.
 */
function categoriesOf(labels: InterchangeLabel[], undeclared: string[]): unknown[] {
  const all = [...labels, ...undeclared.map((name) => ({ name }))]
  const { files } = exportCoco({ labels: all, items: [] })
  const [only] = files.values()
  return only ? ((JSON.parse(decodeText(only)) as { categories: unknown[] }).categories ?? []) : []
}
