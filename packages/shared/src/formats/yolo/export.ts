import { stringify as stringifyYaml } from 'yaml'
import type { BboxGeometry } from '../../domain/region.ts'
import { encodeText } from '../common/json.ts'
import { ReportBuilder } from '../common/report.ts'
import type {
  ConversionReport,
  FileSet,
  InterchangeDataset,
  InterchangeItem,
  InterchangeRegion,
} from '../model.ts'
import { NameAllocator, extName, normalizePath, stripExt } from '../paths.ts'
import { YOLO_TASKS, type YoloTask } from './import.ts'
import type { YoloManifest } from './manifest.ts'
import { chooseOption } from '../common/options.ts'
import { deriveFlipIndex, keypointNamesByClass } from './keypoint-names.ts'
import { keypointCount } from './pose.ts'
import { outlineBox, regionValues, type LineContext } from './region-values.ts'

export type YoloExportOptions = {
  /**
   * `detect` (default) writes boxes, `segment` polygons (masks traced), `obb` rotated boxes as 4
   * corners, `pose` keypoints with their box (`kpt_shape` in data.yaml).
   */
  task?: YoloTask
}

export type YoloExportResult = {
  files: FileSet
  report: ConversionReport
  /** Where each item's image belongs in the export (`images/<split>/...`), by item key. */
  images: Map<string, string>
}

/** Split keys that Ultralytics reads, by the subset names people give them. */
const STANDARD_SPLITS: Record<string, string> = {
  train: 'train',
  training: 'train',
  val: 'val',
  valid: 'val',
  validation: 'val',
  test: 'test',
  testing: 'test',
}

/**
 * Writes an Ultralytics dataset: `data.yaml` (names as a map, one key per split pointing at
 * `images/<split>`), and `labels/<split>/<path stem>.txt` for every item, empty when it has no
 * regions. Values are clipped to the image and rounded (never truncated) to 6 decimals.
 * Whatever the task cannot carry is counted in `report.lossiness`. File names and subsets that
 * YOLO cannot hold are recorded in data.yaml under `concord` (see manifest.ts).
 */
export function exportYolo(
  dataset: InterchangeDataset,
  options: YoloExportOptions = {},
): YoloExportResult {
  const task = chooseOption('task', options.task, YOLO_TASKS, 'detect')
  const report = new ReportBuilder()
  const names = classNames(dataset, report)
  const classOf = new Map(names.map((name, i) => [name, i]))
  const files: FileSet = new Map()
  const images = new Map<string, string>()
  const items = dataset.items.map(splitFromFolders)
  const splits = assignSplits(items, report)
  const labelNames = new NameAllocator()
  labelNames.reserve('data.yaml')
  const manifestItems: NonNullable<YoloManifest['items']> = []
  const keypoints = task === 'pose' ? keypointCount(dataset) : 0

  for (const item of items) {
    const split = splits.get(item.subset)!
    const path = safeRelative(item.path)
    const stem = stripExt(path)
    let label = `labels/${split.dir}/${stem}.txt`
    let image = `images/${split.dir}/${path}`
    if (labelNames.has(label)) {
      // Same stem as an earlier item (a.jpg and a.png): rename both image and label.
      const ext = extName(path)
      label = labelNames.allocate(`labels/${split.dir}/${stem}_${ext.slice(1) || 'noext'}.txt`)
      image = `images/${split.dir}/${stripExt(label.slice(`labels/${split.dir}/`.length))}${ext}`
    } else {
      labelNames.reserve(label)
    }
    if (image !== `images/${split.dir}/${item.path}`) {
      manifestItems.push({ image, subset: item.subset, path: item.path })
    }
    images.set(item.key, image)
    const lines = itemLines(item, { task, keypoints, report }, classOf)
    if (lines) files.set(label, encodeText(lines.map((l) => l.join(' ') + '\n').join('')))
  }

  const subsets: Record<string, string> = {}
  const yaml: Record<string, unknown> = { path: '.' }
  for (const [subset, split] of splits) {
    yaml[split.key] = `images/${split.dir}`
    if (split.key !== subset) subsets[split.key] = subset
  }
  for (const [key, folder] of addRequiredSplits(yaml, report)) {
    // The importer reads a folder named twice as `train`: its images keep their own subset.
    const subset = [...splits].find(([, split]) => `images/${split.dir}` === folder)?.[0]
    if (subset !== undefined && subset !== key) subsets[key] = subset
  }
  const manifest: YoloManifest = { version: 1, task }
  if (task === 'pose') addPoseFields(yaml, manifest, dataset, keypoints, classOf)
  yaml.names = Object.fromEntries(names.map((name, i) => [i, name]))
  if (Object.keys(subsets).length > 0) manifest.subsets = subsets
  if (manifestItems.length > 0) manifest.items = manifestItems
  yaml.concord = manifest
  files.set('data.yaml', encodeText(stringifyYaml(yaml)))
  return { files, report: report.build(), images }
}

/**
 * `kpt_shape`, `flip_idx` when the keypoint names pair up left and right, and `kpt_names`;
 * skeleton edges, which Ultralytics has no key for, go in the manifest.
 */
function addPoseFields(
  yaml: Record<string, unknown>,
  manifest: YoloManifest,
  dataset: InterchangeDataset,
  keypoints: number,
  classOf: Map<string, number>,
): void {
  yaml.kpt_shape = [keypoints, 3]
  const flip = deriveFlipIndex(dataset.labels, keypoints)
  if (flip) yaml.flip_idx = flip
  const kptNames = keypointNamesByClass(dataset.labels, classOf)
  if (kptNames) yaml.kpt_names = kptNames
  const skeletons = dataset.labels.filter((label) => label.skeleton?.length)
  if (skeletons.length > 0) {
    manifest.skeletons = Object.fromEntries(skeletons.map((l) => [l.name, l.skeleton!]))
  }
}

/**
 * Ultralytics refuses to train without both `train` and `val`. A missing one points at the
 * folder of the other (or of the first split), as people do by hand for a dataset that has no
 * validation images; the importer reads a folder named twice once, so no items are doubled.
 */
function addRequiredSplits(
  yaml: Record<string, unknown>,
  report: ReportBuilder,
): [key: string, folder: unknown][] {
  const firstSplit = Object.entries(yaml).find(([key]) => key !== 'path')?.[1]
  const filled: [string, unknown][] = []
  for (const [key, other] of [
    ['val', 'train'],
    ['train', 'val'],
  ] as const) {
    if (yaml[key] !== undefined) continue
    const folder = yaml[other] ?? firstSplit
    if (folder === undefined) continue
    yaml[key] = folder
    filled.push([key, folder])
    report.warn({
      code: 'other',
      message: `no ${key} subset: ${key} in data.yaml points at ${String(folder)}`,
      file: 'data.yaml',
    })
  }
  return filled
}

/** Labels in the dataset's order, then any that regions use without declaring. */
function classNames(dataset: InterchangeDataset, report: ReportBuilder): string[] {
  const names = [...new Set(dataset.labels.map((label) => label.name))]
  const known = new Set(names)
  for (const item of dataset.items) {
    for (const region of item.regions) {
      if (known.has(region.label)) continue
      known.add(region.label)
      names.push(region.label)
      report.warn({ code: 'unknown-label', message: `label "${region.label}" added to names` })
    }
  }
  return names
}

/**
 * An image without a subset whose own folders are a YOLO split (`images/train/c.jpg` uploaded
 * as a folder, Roboflow's `valid/images/c.jpg`) goes into that split, not into a folder of
 * its own nested under `images/train/images/train/`.
 */
function splitFromFolders(item: InterchangeItem): InterchangeItem {
  if (item.subset) return item
  const path = normalizePath(item.path)
  const match =
    /^images\/([^/]+)\/(.+)$/.exec(path) ?? /^([^/]+)\/images\/(.+)$/.exec(path) ?? undefined
  if (!match || STANDARD_SPLITS[match[1]!.toLowerCase()] === undefined) return item
  return { ...item, subset: match[1]!, path: match[2]! }
}

/**
 * Each subset gets a folder name that is safe on disk and a yaml key Ultralytics knows. Named
 * subsets choose first, so that images without one never take `train` from the train subset;
 * beside named subsets they are kept apart in `images/unsplit`, which the report points out.
 */
function assignSplits(
  items: InterchangeItem[],
  report: ReportBuilder,
): Map<string, { key: string; dir: string }> {
  const splits = new Map<string, { key: string; dir: string }>()
  const dirs = new NameAllocator()
  const keys = new Set(['path', 'names', 'nc', 'concord', 'download'])
  const subsets = [...new Set(items.map((item) => item.subset))]
  const named = subsets.filter(Boolean)
  for (const subset of subsets.includes('') ? [...named, ''] : named) {
    const alone = subset === '' && named.length === 0
    const dir = dirs.allocate(
      subset.replace(/[^\w.-]/g, '_').replace(/^\.+/, '') || (alone ? 'train' : 'unsplit'),
    )
    const standard = STANDARD_SPLITS[subset.toLowerCase()] ?? (alone ? 'train' : undefined)
    const key = standard && !keys.has(standard) ? standard : dir
    keys.add(key)
    splits.set(subset, { key, dir })
  }
  const unsplit = items.filter((item) => item.subset === '').length
  if (unsplit > 0 && named.length > 0) {
    report.warn({
      code: 'other',
      message: `images without a subset are in images/${splits.get('')!.dir}, beside ${named.join(', ')}; Ultralytics trains only on the splits data.yaml names as train and val`,
      file: 'data.yaml',
      count: unsplit,
    })
  }
  return splits
}

/** An item path made safe to write: no parent or empty segments. */
function safeRelative(path: string): string {
  return (
    normalizePath(path)
      .split('/')
      .filter((segment) => segment !== '..')
      .join('/') || 'image'
  )
}

function itemLines(
  item: InterchangeItem,
  options: Pick<LineContext, 'task' | 'keypoints' | 'report'>,
  classOf: Map<string, number>,
): string[][] | undefined {
  const { report } = options
  const { width, height } = item
  if (!width || !height) {
    if (item.regions.length === 0) return []
    report.warn({
      code: 'missing-size',
      message: `image size unknown: no label file written, ${item.regions.length} regions lost`,
      file: item.path,
      count: item.regions.length,
    })
    return undefined
  }
  if (item.tags.length > 0) report.lossy('tag', 'YOLO has no image tags', item.tags.length)
  const ctx: LineContext = { ...options, width, height }
  const lines: string[][] = []
  const poseBoxes = options.task === 'pose' ? boxesOfKeypoints(item.regions) : undefined
  for (const region of item.regions) {
    // A box that is its keypoints' pose box is written on their line, not lost.
    if (poseBoxes?.consumed.has(region)) continue
    if (Object.keys(region.attributes).length > 0) {
      report.lossy('attribute', 'YOLO has no attributes')
    }
    if (region.score !== undefined && region.score !== null) {
      report.lossy('attribute', 'YOLO training labels carry no score')
    }
    const cls = String(classOf.get(region.label)!)
    const poseBox = poseBoxes?.boxes.get(region)
    for (const values of regionValues(region, { ...ctx, poseBox })) lines.push([cls, ...values])
  }
  return lines
}

/**
 * For a pose export, the box of each keypoints region: a box of the same label and group (a
 * person's box, as COCO and YOLO pose both carry it), else the box of the object's outline
 * (the one its COCO file declared, else the outline's bounds). Each box serves one keypoints
 * region and is then written on its line, not on its own.
 */
function boxesOfKeypoints(regions: InterchangeRegion[]) {
  const boxes = new Map<InterchangeRegion, BboxGeometry>()
  const consumed = new Set<InterchangeRegion>()
  for (const region of regions) {
    if (region.kind !== 'keypoints' || region.group == null) continue
    const object = regions.filter(
      (other) =>
        other !== region &&
        other.group === region.group &&
        other.label === region.label &&
        !consumed.has(other),
    )
    const box = object.find((other) => other.kind === 'bbox')
    if (box?.kind === 'bbox') {
      boxes.set(region, box.geometry)
      consumed.add(box)
      continue
    }
    const outline = object.find((other) => other.kind === 'polygon' || other.kind === 'mask')
    if (outline?.kind === 'polygon' || outline?.kind === 'mask')
      boxes.set(region, outlineBox(outline))
  }
  return { boxes, consumed }
}
