import { decodeText } from '../common/json.ts'
import { isBlankLabel, skipUnlabelled } from '../common/labels.ts'
import { chooseOption } from '../common/options.ts'
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
import { baseName, itemKey, newItem, normalizePath } from '../paths.ts'
import { labelCandidates, readYoloConfig } from './layout.ts'
import {
  cornersToRbox,
  isRectangle,
  lineToBbox,
  lineToPoints,
  parseLabelFile,
  type ClampCounter,
  type RawLine,
} from './lines.ts'
import { poseRegion, type KeypointShape } from './pose.ts'
import { collectImages, reportOrphanLabels, type ImageEntry } from './image-entries.ts'
import {
  dotaRegion,
  isDotaLabelFile,
  parseDotaFile,
  type DotaCounter,
  type DotaLine,
} from './dota.ts'

/** What a YOLO dataset was made for; decides how 4-point lines and export geometry are read. */
export const YOLO_TASKS = ['detect', 'segment', 'obb', 'pose'] as const
export type YoloTask = (typeof YOLO_TASKS)[number]

export type YoloImportOptions = {
  /**
   * Displayed size of an image (EXIF orientation applied). Asked first with the image's path in
   * the FileSet (or in a list file when the image is not in the set), then with the item key,
   * then with the item path. YOLO is normalised to the displayed image, so an
   * image whose size is unknown keeps its item but loses its regions, with a warning.
   */
  sizeOf?: (path: string) => { width: number; height: number } | undefined
  /**
   * How to read `class x1 y1 ... x4 y4` lines. `auto` (default) reads them as rotated boxes when
   * every such line in the dataset is a rectangle in pixels and no other polygon occurs, else as
   * polygons. A `concord` manifest in data.yaml overrides `auto`.
   */
  task?: YoloTask | 'auto'
  /** Images the caller already has, for a labels-only upload: dataset paths such as `images/train/a.jpg`. */
  images?: string[]
}

export type YoloImportResult = {
  dataset: InterchangeDataset
  report: ConversionReport
  /**
   * The image file of the input that each item was read from, by item key, for the images the
   * input carries. An item's path need not be its file's: a Concord export renames `a.png` to
   * `images/train/a_png.png` beside `a.jpg`, and its manifest brings the name `a.png` back.
   */
  imageFiles: Map<string, string>
}

/**
 * Reads a YOLO dataset: Ultralytics (`data.yaml`, `images/<split>`, `labels/<split>`), darknet
 * (`obj.data`, `obj.names`, `train.txt`, labels beside images) or loose folders with a names
 * file. Items come from the images present or listed; an image without a label file, or with an
 * empty one, is an item with no regions. Label files without an image are reported, not read.
 * DOTA files in a `labelTxt/` folder beside `images/` (Roboflow's `yolo_obb`) are read as rotated
 * boxes in pixels, labelled by class name (see `dota.ts`).
 */
export function importYolo(input: FileSet, options: YoloImportOptions = {}): YoloImportResult {
  const files: FileSet = new Map()
  for (const [path, bytes] of input) files.set(normalizePath(path), bytes)
  const report = new ReportBuilder()
  const config = readYoloConfig(files)
  const images = collectImages(files, config, options)

  const labelUsers = new Map<string, string[]>()
  for (const [file, entry] of images) {
    const label =
      entry.label ?? labelCandidates(file).find((c) => files.has(c) && !config.configFiles.has(c))
    if (!label) continue
    entry.label = label
    labelUsers.set(label, [...(labelUsers.get(label) ?? []), file])
  }
  for (const [label, users] of labelUsers) {
    if (users.length > 1) {
      report.warn({
        code: 'other',
        message: `one label file serves ${users.length} images (${users.join(', ')})`,
        file: label,
      })
    }
  }
  reportOrphanLabels(files, config.configFiles, labelUsers, report)

  const parsed = new Map<string, RawLine[]>()
  const dota = new Map<string, DotaLine[]>()
  for (const label of labelUsers.keys()) {
    const text = decodeText(files.get(label)!, label)
    if (isDotaLabelFile(label)) dota.set(label, parseDotaFile(label, text))
    else parsed.set(label, parseLabelFile(label, text))
  }
  // DOTA lines name their class; only index lines need a names list.
  const names = config.names ?? (parsed.size > 0 ? inventNames(parsed, report) : [])
  for (const lines of parsed.values()) {
    for (const line of lines) {
      if (line.classIndex >= names.length) {
        throw new FormatError(
          line.file,
          `line ${line.line}`,
          `class index ${line.classIndex} is not in the names list (${names.length} classes)`,
        )
      }
    }
  }

  const sizes = new Map<string, { width: number; height: number }>()
  for (const [file, entry] of images) {
    const size =
      options.sizeOf?.(file) ??
      options.sizeOf?.(itemKey(entry.subset, entry.path)) ??
      options.sizeOf?.(entry.path)
    if (size && size.width > 0 && size.height > 0) sizes.set(file, size)
  }
  const counter: ClampCounter = { clamped: 0 }
  const asked = chooseOption('task', options.task, [...YOLO_TASKS, 'auto'] as const, 'auto')
  const task = asked !== 'auto' ? asked : config.manifest?.task
  // kpt_shape makes every line a pose line, whatever else was asked: its values mean nothing
  // read as a polygon. Asked for pose without one, each line says its own K (with visibility).
  const pose = config.kptShape ?? (task === 'pose' ? 'infer' : undefined)
  const quadsAreBoxes = !pose && (task ? task === 'obb' : guessQuadsAreBoxes(images, parsed, sizes))
  const read: ReadContext = { names, quadsAreBoxes, pose, counter, report }

  const dotaCounter: DotaCounter = { clamped: 0, fitted: 0 }
  const dotaNames: string[] = []
  const items: InterchangeItem[] = []
  const imageFiles = new Map<string, string>()
  const keys = new Set<string>()
  for (const [file, entry] of images) {
    let { subset, path } = entry
    if (keys.has(itemKey(subset, path))) {
      report.warn({ code: 'other', message: `item key taken; keyed by its full path`, file })
      ;({ subset, path } = { subset: '', path: file })
    }
    keys.add(itemKey(subset, path))
    if (entry.present) imageFiles.set(itemKey(subset, path), file)
    const size = sizes.get(file)
    const lines = entry.label ? (parsed.get(entry.label) ?? []) : []
    const item = newItem(subset, path, size)
    const dotaLines = entry.label ? (dota.get(entry.label) ?? []) : []
    if (dotaLines.length > 0 && !size) {
      report.warn({
        code: 'missing-size',
        message: `image size unknown: ${dotaLines.length} pixel boxes read without checking them against the image edges`,
        file,
        count: dotaLines.length,
      })
    }
    for (const line of dotaLines) {
      const region = dotaRegion(line, size, dotaCounter)
      if (!names.includes(region.label) && !dotaNames.includes(region.label)) {
        dotaNames.push(region.label)
        report.count(
          'unknown-label',
          `class "${region.label}" is not in the names list; added`,
          line.file,
        )
      }
      item.regions.push(region)
    }
    if (lines.length > 0 && !size) {
      report.warn({
        code: 'missing-size',
        message: `image size unknown: ${lines.length} regions not read`,
        file,
        count: lines.length,
      })
    } else if (size) {
      for (const line of lines) {
        if (isBlankLabel(names[line.classIndex])) {
          skipUnlabelled(report, line.file, `line ${line.line}`)
          continue
        }
        item.regions.push(...toRegions(line, size, read, item))
      }
    }
    if (!entry.present && !entry.label) {
      report.count('unmatched-image', 'listed image is absent and has no label file', file)
    }
    items.push(item)
  }
  if (counter.clamped > 0) {
    report.count(
      'clamped',
      'coordinates slightly outside [0, 1] clamped',
      undefined,
      counter.clamped,
    )
  }

  if (dotaCounter.clamped > 0) {
    report.count(
      'clamped',
      'DOTA corners outside the image moved onto its edge',
      undefined,
      dotaCounter.clamped,
    )
  }
  if (dotaCounter.fitted > 0) {
    report.count(
      'other',
      'DOTA corners that are not a rectangle; fitted',
      undefined,
      dotaCounter.fitted,
    )
  }

  items.sort((a, b) => a.key.localeCompare(b.key))
  const labels = [...declaredLabels(names, config), ...dotaNames.map((name) => ({ name }))]
  if (labels.length - dotaNames.length < names.filter((name) => !isBlankLabel(name)).length) {
    report.warn({ code: 'other', message: 'the names list repeats a class; repeats are merged' })
  }
  return { dataset: { labels, items }, report: report.build(), imageFiles }
}

/**
 * One label per class name, with the keypoint names of `kpt_names` and the skeleton of a
 * Concord manifest when the dataset has them (a repeated name keeps its first class's names).
 */
function declaredLabels(
  names: string[],
  config: ReturnType<typeof readYoloConfig>,
): InterchangeLabel[] {
  const labels = new Map<string, InterchangeLabel>()
  for (const [i, name] of names.entries()) {
    if (labels.has(name) || isBlankLabel(name)) continue
    const keypoints = config.kptNames?.get(i)
    const skeleton = config.manifest?.skeletons?.[name]
    labels.set(name, {
      name,
      ...(keypoints ? { keypoints } : {}),
      ...(skeleton ? { skeleton } : {}),
    })
  }
  return [...labels.values()]
}

/** Without a names list, classes are named by their index, and the report says so. */
function inventNames(parsed: Map<string, RawLine[]>, report: ReportBuilder): string[] {
  let max = -1
  for (const lines of parsed.values()) for (const l of lines) max = Math.max(max, l.classIndex)
  report.warn({
    code: 'other',
    message: 'no names list (data.yaml, obj.names, classes.txt); classes named by index',
  })
  return Array.from({ length: max + 1 }, (_, i) => String(i))
}

/** Reads every 8-value line as a rotated box only if each one is a rectangle in pixels. */
function guessQuadsAreBoxes(
  images: Map<string, ImageEntry>,
  parsed: Map<string, RawLine[]>,
  sizes: Map<string, { width: number; height: number }>,
): boolean {
  let quads = 0
  for (const [file, entry] of images) {
    const size = sizes.get(file)
    for (const line of entry.label ? (parsed.get(entry.label) ?? []) : []) {
      const n = line.values.length - (line.values.length % 2)
      if (n > 4 && n !== 8) return false
      if (n !== 8 || !size) continue
      quads += 1
      const corners = { ...line, values: line.values.slice(0, 8) }
      if (!isRectangle(lineToPoints(corners, size.width, size.height, { clamped: 0 }))) return false
    }
  }
  return quads > 0
}

/** What every line of one import is read with. */
type ReadContext = {
  names: string[]
  quadsAreBoxes: boolean
  /** Pose lines: the dataset's `kpt_shape`, or `infer` K from each line; undefined otherwise. */
  pose: KeypointShape | 'infer' | undefined
  counter: ClampCounter
  report: ReportBuilder
}

function toRegions(
  line: RawLine,
  size: { width: number; height: number },
  context: ReadContext,
  item: InterchangeItem,
): InterchangeRegion[] {
  const { names, pose, counter } = context
  if (!pose) return [toRegion(line, size, context)]
  const base = {
    label: names[line.classIndex]!,
    attributes: {},
    sourceId: `${baseName(line.file)}:${line.line}`,
  }
  const { box, ...keypoints } = poseRegion(line, size, pose, counter)
  if (!box) return [{ ...base, ...keypoints }]
  // A box wider than its points is kept as a box of the same object, as COCO keeps one.
  const group =
    Math.max(0, ...item.regions.map((r) => (typeof r.group === 'number' ? r.group : 0))) + 1
  return [
    { ...base, ...keypoints, kind: 'bbox', geometry: box, group },
    { ...base, ...keypoints, group },
  ]
}

function toRegion(
  line: RawLine,
  size: { width: number; height: number },
  { names, quadsAreBoxes, counter, report }: ReadContext,
): InterchangeRegion {
  const label = names[line.classIndex]!
  const n = line.values.length
  const base = { label, attributes: {}, sourceId: `${baseName(line.file)}:${line.line}` }
  // An odd count past the geometry is a confidence, as Ultralytics writes with save_conf; said
  // in the report, since a polygon missing one value reads the same way.
  const scored = n % 2 === 1
  const score = scored ? line.values[n - 1]! : undefined
  if (score !== undefined) {
    if (!(score >= 0 && score <= 1)) {
      throw new FormatError(
        line.file,
        `line ${line.line}`,
        `odd number of coordinates (${n}), and the last value ${score} is not a confidence between 0 and 1`,
      )
    }
    report.count(
      'other',
      'lines with an odd number of values read as predictions, the last value their confidence',
      line.file,
    )
  }
  const values = scored ? line.values.slice(0, -1) : line.values
  const raw = { ...line, values }
  const extra = score === undefined ? {} : { score, source: 'model' as const }
  if (values.length === 4) {
    return {
      ...base,
      ...extra,
      kind: 'bbox',
      geometry: lineToBbox(raw, size.width, size.height, counter),
    }
  }
  const points = lineToPoints(raw, size.width, size.height, counter)
  if (values.length === 8 && quadsAreBoxes) {
    if (!isRectangle(points)) {
      report.count('other', 'oriented box corners are not a rectangle; fitted', line.file)
    }
    return { ...base, ...extra, kind: 'rbox', geometry: cornersToRbox(points) }
  }
  return { ...base, ...extra, kind: 'polygon', geometry: { points } }
}
