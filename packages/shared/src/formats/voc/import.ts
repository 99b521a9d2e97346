import { decodeText } from '../common/json.ts'
import { isBlankLabel, skipUnlabelled } from '../common/labels.ts'
import { ReportBuilder } from '../common/report.ts'
import {
  FormatError,
  type ConversionReport,
  type FileSet,
  type InterchangeDataset,
  type InterchangeItem,
  type InterchangeLabel,
  type InterchangeRegion,
} from '../model.ts'
import {
  baseName,
  dirName,
  extName,
  isImagePath,
  newItem,
  normalizePath,
  stripExt,
} from '../paths.ts'
import { childOf, childrenOf, parseXml, scalarOf, textOf, type XmlNode } from './xml.ts'
import { chooseOption } from '../common/options.ts'
import {
  findSegmentation,
  instanceMasks,
  segmentationPngs,
  unannotatedSegmentation,
} from './read-segmentation.ts'
import { classIndex, classMaskRegions, labelledInstanceRegions } from './class-segmentation.ts'
import { textLines } from '../common/lines.ts'

/**
 * How VOC coordinates map to pixels.
 *
 * - `one-based` (default, what the PASCAL VOC devkit and labelImg write): integers index pixels
 *   from 1, and `xmax` is the last pixel inside the box. So `x = xmin - 1` and
 *   `w = xmax - xmin + 1`; polygon vertices move by -1. A file with `xmin=1, xmax=10` covers the
 *   first ten pixels, `[0, 10)` in the workspace.
 * - `zero-based-continuous`: coordinates are already continuous pixels from 0 (some converters
 *   write those): `x = xmin`, `w = xmax - xmin`, vertices as written.
 *
 * Float corners are read as they are in either convention; nothing is rounded on import.
 */
export const VOC_CONVENTIONS = ['one-based', 'zero-based-continuous'] as const
export type VocConvention = (typeof VOC_CONVENTIONS)[number]

/**
 * What names the item of an annotation XML.
 *
 * - `file` (default): the XML's own name (`000001.xml` is image `000001`), as the VOC devkit and
 *   the training tools that read it do.
 * - `filename`: the `<filename>` inside it (`<folder>` is ignored), for an XML whose own name
 *   says nothing, such as one sent as a request body.
 */
export const VOC_NAME_SOURCES = ['file', 'filename'] as const
export type VocNameFrom = (typeof VOC_NAME_SOURCES)[number]

export type VocImportOptions = {
  convention?: VocConvention
  nameFrom?: VocNameFrom
  /** Displayed size by image path, for annotations without a `<size>`. */
  sizeOf?: (path: string) => { width: number; height: number } | undefined
}

/** Object children that are geometry or structure rather than attributes. */
const STRUCTURE = new Set(['name', 'bndbox', 'polygon', 'part', 'actions', 'attributes'])
/** Flags VOC writes as 0/1 that the workspace holds as booleans. */
const FLAGS = new Set(['truncated', 'difficult', 'occluded'])

/**
 * Reads Pascal VOC XML: single files, or a VOCdevkit tree (`Annotations/`, `JPEGImages/`,
 * `ImageSets/Main/<subset>.txt`). The item is named after the XML file (`000001.xml` is image
 * `000001`), as the VOC devkit and the training tools that read it do; when `<filename>` says
 * otherwise the report warns. With `nameFrom: 'filename'` it follows `<filename>` instead. The extension comes from the image in `JPEGImages/`, else from
 * `<filename>`, else `.jpg`. A `SegmentationObject/<id>.png` beside `Annotations/` adds each
 * object's instance mask as a mask region after its box, both given the object's number as group.
 * A `SegmentationClass/<id>.png` without an object PNG adds one mask per class present. Without
 * an XML, an object PNG and a class PNG together give one mask per instance, labelled with the
 * class under most of its pixels (labelme's `data_dataset_voc`); a class PNG alone gives one
 * mask per class. Class indices are named by `labelmap.txt` or `class_names.txt` when the
 * dataset has one, else by VOC's 21 classes; an RGB class PNG is read in `labelmap.txt`'s
 * colours when it gives one to every class, else in VOC's.
 */
export function importVoc(
  input: FileSet,
  options: VocImportOptions = {},
): { dataset: InterchangeDataset; report: ConversionReport; notImages: string[] } {
  const files: FileSet = new Map()
  for (const [path, bytes] of input) files.set(normalizePath(path), bytes)
  const report = new ReportBuilder()
  const oneBased =
    chooseOption('convention', options.convention, VOC_CONVENTIONS, 'one-based') === 'one-based'
  const nameFrom = chooseOption('nameFrom', options.nameFrom, VOC_NAME_SOURCES, 'file')
  const subsets = readSubsets(files)
  const labels = readLabelmap(files)
  const classes = classIndex(files, labels)
  const labelNames = new Set(labels.map((l) => l.name))
  const useLabel = (name: string) => {
    if (labelNames.has(name)) return
    labelNames.add(name)
    labels.push({ name })
  }
  const imagesByStem = new Map<string, string>()
  const segmentation = segmentationPngs(files)
  for (const path of files.keys()) {
    if (isImagePath(path) && !segmentation.all.has(path))
      imagesByStem.set(stripExt(path).toLowerCase(), path)
  }

  const items = new Map<string, InterchangeItem>()
  const addItem = (id: string, dir: string, extHint: string, imageDir: string) => {
    const image = imagesByStem.get(joinDir(imageDir, id).toLowerCase())
    const ext = image ? extName(image) : extHint || '.jpg'
    const subset = subsets.get(id) ?? ''
    const path = joinDir(dir, `${id}${ext}`)
    const item = newItem(subset, path)
    items.set(joinDir(imageDir, id), item)
    const known = options.sizeOf?.(image ?? path)
    if (known) Object.assign(item, { width: known.width, height: known.height })
    return item
  }

  const xmlFiles = [...files.keys()].filter((p) => extName(p).toLowerCase() === '.xml').sort()
  for (const file of xmlFiles) {
    const doc = parseXml(file, decodeText(files.get(file)!, file), ['object', 'part', 'attribute'])
    const annotation = childOf(doc, 'annotation')
    if (!annotation) {
      report.warn({ code: 'skipped', message: 'not a VOC annotation (no <annotation>)', file })
      continue
    }
    const inDevkit = /(^|\/)Annotations$/i.test(dirName(file))
    const imageDir = inDevkit ? dirName(file).replace(/Annotations$/i, 'JPEGImages') : dirName(file)
    const filename = textOf(annotation.filename) ?? ''
    const id = itemId(file, filename, nameFrom, report)
    const existing = items.get(joinDir(imageDir, id))
    if (existing) {
      report.warn({
        code: 'other',
        message: `a second annotation names ${existing.path}; their objects were joined`,
        file,
      })
    }
    const item = existing ?? addItem(id, inDevkit ? '' : dirName(file), extName(filename), imageDir)
    const size = childOf(annotation, 'size')
    const width = Number(textOf(size?.width) || NaN)
    const height = Number(textOf(size?.height) || NaN)
    // The file's own <size> wins over the caller's; without either the item stays unsized.
    if (width > 0 && height > 0) Object.assign(item, { width, height })
    else if (item.width === undefined)
      report.count('missing-size', 'no <size> and no size from the caller')

    const root = inDevkit ? dirName(dirName(file)) : dirName(file)
    const objects = childrenOf(annotation, 'object')
    const objectPng = findSegmentation(segmentation, root, id)
    const classPng = findSegmentation(segmentation, root, id, 'class')
    const masks = instanceMasks(files, objectPng, item, objects.length, report)
    objects.forEach((object, index) => {
      const where = `annotation/object[${index}]`
      const regions = readObject(file, where, object, index + 1, oneBased, report)
      const mask = masks?.get(index + 1)
      if (mask && regions[0]) {
        const { label } = regions[0]
        regions[0].group = index + 1
        regions.splice(1, 0, {
          kind: 'mask',
          label,
          attributes: {},
          group: index + 1,
          sourceId: index + 1,
          geometry: mask,
        })
      }
      for (const region of regions) {
        useLabel(region.label)
        item.regions.push(region)
      }
    })
    if (!objectPng && classPng) {
      for (const region of classMaskRegions(files, classPng, item, classes, report)) {
        useLabel(region.label)
        item.regions.push(region)
      }
    }
  }

  for (const found of unannotatedSegmentation(segmentation)) {
    if (!found.class) {
      report.count(
        'skipped',
        'SegmentationObject PNG without an annotation XML or a SegmentationClass PNG is not imported (its objects have no labels)',
        found.object,
      )
      continue
    }
    const item = addItem(found.id, '', '', joinDir(found.root, 'JPEGImages'))
    const regions = found.object
      ? labelledInstanceRegions(
          files,
          { object: found.object, class: found.class },
          item,
          classes,
          report,
        )
      : classMaskRegions(files, found.class, item, classes, report)
    for (const region of regions) {
      useLabel(region.label)
      item.regions.push(region)
    }
  }

  // Images present or listed without an annotation are items with no regions.
  const covered = new Set([...items.values()].map((item) => stripExt(baseName(item.path))))
  for (const image of imagesByStem.values()) {
    const id = stripExt(baseName(image))
    if (covered.has(id)) continue
    covered.add(id)
    const inDevkit = /(^|\/)JPEGImages$/i.test(dirName(image))
    addItem(id, inDevkit ? '' : dirName(image), extName(image), dirName(image))
  }
  for (const id of subsets.keys()) {
    if (!covered.has(id)) addItem(id, '', '', '')
  }
  return {
    dataset: { labels, items: [...items.values()].sort((a, b) => a.key.localeCompare(b.key)) },
    report: report.build(),
    notImages: [...segmentation.all],
  }
}

/** The image id (path without extension) an annotation XML names; see {@link VocNameFrom}. */
function itemId(file: string, filename: string, nameFrom: VocNameFrom, report: ReportBuilder) {
  const own = stripExt(baseName(file))
  // A relative <filename> keeps its folders; a drive letter or a climb out keeps the name only.
  const written = normalizePath(filename)
  const outside = /^[a-zA-Z]:/.test(written) || written.split('/').includes('..')
  const named = stripExt(outside ? baseName(written) : written)
  if (nameFrom === 'filename') {
    if (named) return named
    report.warn({ code: 'other', message: `no <filename>; the item follows the XML's name`, file })
    return own
  }
  if (filename && baseName(named) !== own) {
    report.warn({
      code: 'other',
      message: `<filename> names ${filename}; the item follows the XML's own name, ${own}`,
      file,
    })
  }
  return own
}

function joinDir(dir: string, name: string): string {
  return dir ? `${dir}/${name}` : name
}

function number(file: string, where: string, text: string | undefined): number {
  const value = Number(text)
  if (text === undefined || text.trim() === '' || !Number.isFinite(value)) {
    throw new FormatError(file, where, `expected a number, found ${JSON.stringify(text ?? null)}`)
  }
  return value
}

function readObject(
  file: string,
  where: string,
  object: XmlNode,
  group: number,
  oneBased: boolean,
  report: ReportBuilder,
): InterchangeRegion[] {
  const label = textOf(object.name)
  if (isBlankLabel(label)) {
    skipUnlabelled(report, file, where, 'object')
    return []
  }
  const attributes = readAttributes(object)
  const offset = oneBased ? 1 : 0
  const parts = childrenOf(object, 'part')
  const base = { label: label!, attributes, sourceId: group, ...(parts.length ? { group } : {}) }
  const regions: InterchangeRegion[] = []

  const polygon = childOf(object, 'polygon')
  const box = childOf(object, 'bndbox')
  if (polygon) {
    const points = readPolygon(file, `${where}/polygon`, polygon).map(
      ([x, y]): [number, number] => [x - offset, y - offset],
    )
    if (points.length < 3) throw new FormatError(file, `${where}/polygon`, 'fewer than 3 points')
    regions.push({ ...base, kind: 'polygon', geometry: { points } })
  } else if (box) {
    regions.push({
      ...base,
      kind: 'bbox',
      geometry: readBox(file, `${where}/bndbox`, box, oneBased),
    })
  } else {
    throw new FormatError(file, where, 'object without <bndbox> or <polygon>')
  }

  parts.forEach((part, i) => {
    const partWhere = `${where}/part[${i}]`
    const partBox = childOf(part, 'bndbox')
    const name = textOf(part.name)
    if (!partBox) throw new FormatError(file, partWhere, 'part without a <bndbox>')
    if (isBlankLabel(name)) return skipUnlabelled(report, file, partWhere, 'part')
    regions.push({
      kind: 'bbox',
      label: name!,
      attributes: { part_of: label },
      group,
      geometry: readBox(file, `${partWhere}/bndbox`, partBox, oneBased),
    })
  })
  return regions
}

function readBox(file: string, where: string, box: XmlNode, oneBased: boolean) {
  const [xmin, ymin, xmax, ymax] = (['xmin', 'ymin', 'xmax', 'ymax'] as const).map((k) =>
    number(file, `${where}/${k}`, textOf(box[k])),
  ) as [number, number, number, number]
  const extra = oneBased ? 1 : 0
  const w = xmax - xmin + extra
  const h = ymax - ymin + extra
  if (w < 0 || h < 0) throw new FormatError(file, where, 'xmax or ymax lies before xmin or ymin')
  return { x: xmin - extra, y: ymin - extra, w, h }
}

/** `<x1>..<y1>..` pairs (CVAT, datumaro) or `<pt><x/><y/></pt>` lists (LabelMe-style). */
function readPolygon(file: string, where: string, polygon: XmlNode): [number, number][] {
  const points: [number, number][] = []
  const pts = polygon.pt
  if (pts !== undefined) {
    for (const [i, pt] of (Array.isArray(pts) ? pts : [pts]).entries()) {
      const node = (pt ?? {}) as XmlNode
      points.push([
        number(file, `${where}/pt[${i}]/x`, textOf(node.x)),
        number(file, `${where}/pt[${i}]/y`, textOf(node.y)),
      ])
    }
    return points
  }
  for (let i = 1; polygon[`x${i}`] !== undefined; i++) {
    points.push([
      number(file, `${where}/x${i}`, textOf(polygon[`x${i}`])),
      number(file, `${where}/y${i}`, textOf(polygon[`y${i}`])),
    ])
  }
  return points
}

/** Every scalar child of an object, plus `<attributes>` and `<actions>`, as region attributes. */
function readAttributes(object: XmlNode): Record<string, unknown> {
  const attributes: Record<string, unknown> = {}
  for (const [tag, value] of Object.entries(object)) {
    if (STRUCTURE.has(tag) || tag.startsWith('@_')) continue
    // Leaves parse as strings (or as objects with #text when they carry XML attributes).
    const text = typeof value === 'string' ? value : textOfLeaf(value)
    if (text === undefined) continue
    const scalar = scalarOf(text)
    attributes[tag] = FLAGS.has(tag) && (scalar === 0 || scalar === 1) ? scalar === 1 : scalar
  }
  const actions = childOf(object, 'actions')
  for (const [action, value] of Object.entries(actions ?? {})) {
    attributes[action] = scalarOf(textOf(value) ?? '') === 1
  }
  const list = childOf(object, 'attributes')
  for (const attribute of list ? childrenOf(list, 'attribute') : []) {
    const name = textOf(attribute.name)
    if (name) attributes[name] = scalarOf(textOf(attribute.value) ?? '')
  }
  return attributes
}

function textOfLeaf(value: unknown): string | undefined {
  return value && typeof value === 'object' && '#text' in value ? textOf(value) : undefined
}

/** Subset of each image id from `ImageSets/Main/<subset>.txt`; the smallest list wins (train over trainval). */
function readSubsets(files: FileSet): Map<string, string> {
  const lists: { name: string; ids: string[] }[] = []
  const main = [...files.keys()].filter((p) => /(^|\/)ImageSets\/Main\/[^/]+\.txt$/i.test(p))
  for (const path of main) {
    const rows: string[] = []
    for (const [line] of textLines(decodeText(files.get(path)!, path), { skipBlank: true })) {
      const row = line.trim()
      if (!row.startsWith('#')) rows.push(row)
    }
    // Per-class lists (`cat_train.txt`) carry a second column; subset lists do not.
    if (rows.length === 0 || rows.some((row) => /\s/.test(row))) continue
    lists.push({ name: stripExt(baseName(path)), ids: rows })
  }
  lists.sort((a, b) => b.ids.length - a.ids.length)
  const subsets = new Map<string, string>()
  for (const list of lists) for (const id of list.ids) subsets.set(id, list.name)
  return subsets
}

/** Labels and colours from a datumaro-style `labelmap.txt` (`name:r,g,b:parts:actions`). */
function readLabelmap(files: FileSet): InterchangeLabel[] {
  const path = [...files.keys()].find((p) => baseName(p).toLowerCase() === 'labelmap.txt')
  if (!path) return []
  const labels: InterchangeLabel[] = []
  for (const [line] of textLines(decodeText(files.get(path)!, path), { skipBlank: true })) {
    if (line.startsWith('#')) continue
    const [name, rgb] = line.split(':')
    if (!name) continue
    const channels = (rgb ?? '').split(',').map(Number)
    const color =
      channels.length === 3 && channels.every((c) => Number.isInteger(c) && c >= 0 && c < 256)
        ? `#${channels.map((c) => c.toString(16).padStart(2, '0')).join('')}`
        : undefined
    labels.push(color ? { name, color } : { name })
  }
  return labels
}
