import type { Rle } from '../../geometry/index.ts'
import { decodeText } from '../common/json.ts'
import type { ReportBuilder } from '../common/report.ts'
import type { FileSet, InterchangeItem, InterchangeRegion } from '../model.ts'
import { baseName } from '../paths.ts'
import {
  masksOfIndex,
  readIndexPng,
  VOC_CLASSES,
  VOID_INDEX,
  type IndexColours,
  type IndexImage,
} from './segmentation.ts'
import { readNameList } from '../common/lines.ts'

/**
 * The classes of a dataset's SegmentationClass PNGs: the name of each index, and the colour of
 * each when the dataset declares all of them (an RGB class PNG is painted in those).
 */
export type ClassIndex = { names: readonly string[]; colours?: IndexColours }

/** The index every segmentation gives to pixels of no object and no class. */
const BACKGROUND_INDEX = 0

/**
 * The class name of each SegmentationClass index: the order the dataset declares, when it
 * declares one (datumaro's and CVAT's `labelmap.txt`, already read into `labelmapNames`, or
 * labelme's `class_names.txt`, one name a line with `_background_` first), else VOC's 21.
 */
export function classIndex(
  files: FileSet,
  labelmap: readonly { name: string; color?: string }[],
): ClassIndex {
  if (labelmap.length > 0) {
    const names = labelmap.map((l) => l.name)
    const colours = labelmap.map((l) => (l.color ? rgbOf(l.color) : undefined))
    return colours.every((c) => c !== undefined) ? { names, colours } : { names }
  }
  const path = [...files.keys()].find((p) => baseName(p).toLowerCase() === 'class_names.txt')
  if (!path) return { names: VOC_CLASSES }
  return { names: readNameList(path, decodeText(files.get(path)!, path)) }
}

function rgbOf(hex: string): [number, number, number] {
  const n = parseInt(hex.slice(1), 16)
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255]
}

/**
 * Reads a segmentation PNG for an item. A PNG of another size than the item's is reported and
 * not read; an unsized item takes the PNG's size.
 */
export function readItemPng(
  files: FileSet,
  path: string,
  item: InterchangeItem,
  report: ReportBuilder,
  colours?: IndexColours,
): IndexImage | undefined {
  const image = readIndexPng(path, files.get(path)!, colours)
  if (item.width !== undefined && (image.width !== item.width || image.height !== item.height)) {
    report.warn({
      code: 'skipped',
      message: `segmentation is ${image.width}x${image.height}, the image ${item.width}x${item.height}; not read`,
      file: path,
    })
    return undefined
  }
  item.width ??= image.width
  item.height ??= image.height
  return image
}

/**
 * One mask region per class present in a SegmentationClass PNG, background and void left out.
 * A class mask may hold several touching objects, so the report says these are not instances.
 */
export function classMaskRegions(
  files: FileSet,
  path: string,
  item: InterchangeItem,
  { names, colours }: ClassIndex,
  report: ReportBuilder,
): InterchangeRegion[] {
  const image = readItemPng(files, path, item, report, colours)
  if (!image) return []
  const present = new Set(image.index)
  present.delete(BACKGROUND_INDEX)
  present.delete(VOID_INDEX)
  const known = [...present].filter((index) => index < names.length)
  reportUnnamed(
    [...present].filter((index) => index >= names.length),
    names,
    path,
    report,
  )
  report.count(
    'other',
    'SegmentationClass PNGs read as one mask per class: a class mask is not an instance and may join several objects',
  )
  const masks = masksOfIndex(image, known)
  return [...masks].map(([index, mask]) => maskRegion(names[index]!, index, mask))
}

/**
 * The instances of a SegmentationObject PNG that has no annotation XML, each labelled with the
 * class most of its pixels have in the SegmentationClass PNG of the same image (background and
 * void do not vote; a tie goes to the lower class index). An instance with no class under it is
 * reported and left out, as are the pixels of one that straddles classes beyond its majority.
 */
export function labelledInstanceRegions(
  files: FileSet,
  paths: { object: string; class: string },
  item: InterchangeItem,
  { names, colours }: ClassIndex,
  report: ReportBuilder,
): InterchangeRegion[] {
  const objects = readItemPng(files, paths.object, item, report)
  const classes = objects && readItemPng(files, paths.class, item, report, colours)
  if (!objects || !classes) return []
  const votes = new Map<number, Map<number, number>>()
  for (let p = 0; p < objects.index.length; p++) {
    const instance = objects.index[p]!
    if (instance === BACKGROUND_INDEX || instance === VOID_INDEX) continue
    const tally = votes.get(instance) ?? new Map<number, number>()
    votes.set(instance, tally)
    const cls = classes.index[p]!
    if (cls === BACKGROUND_INDEX || cls === VOID_INDEX) continue
    tally.set(cls, (tally.get(cls) ?? 0) + 1)
  }

  const classOf = new Map<number, number>()
  for (const [instance, tally] of votes) {
    const ranked = [...tally].sort(([a, n], [b, m]) => m - n || a - b)
    const winner = ranked[0]?.[0]
    if (winner === undefined) {
      report.count(
        'skipped',
        'instances with no class under their pixels not imported',
        paths.object,
      )
      continue
    }
    if (ranked.length > 1) {
      report.count(
        'other',
        'instances straddling classes take the class of most pixels',
        paths.object,
      )
    }
    if (winner >= names.length) reportUnnamed([winner], names, paths.class, report)
    else classOf.set(instance, winner)
  }
  const masks = masksOfIndex(objects, classOf.keys())
  return [...masks].map(([instance, mask]) =>
    maskRegion(names[classOf.get(instance)!]!, instance, mask),
  )
}

function maskRegion(label: string, sourceId: number, mask: Rle): InterchangeRegion {
  return { kind: 'mask', label, attributes: {}, sourceId, geometry: mask }
}

function reportUnnamed(
  indices: number[],
  names: readonly string[],
  file: string,
  report: ReportBuilder,
): void {
  if (indices.length === 0) return
  report.warn({
    code: 'skipped',
    message: `class indices ${indices.sort((a, b) => a - b).join(', ')} are past the ${names.length} declared classes; their pixels skipped`,
    file,
  })
}
