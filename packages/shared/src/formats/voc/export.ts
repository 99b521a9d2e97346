import type { BboxGeometry } from '../../domain/region.ts'
import {
  boundsOfPoints,
  clipBbox,
  outerRings,
  rasterizePolygon,
  rboxBounds,
  rleBbox,
  type Rle,
} from '../../geometry/index.ts'
import { encodeText } from '../common/json.ts'
import { ReportBuilder } from '../common/report.ts'
import type {
  ConversionReport,
  FileSet,
  InterchangeDataset,
  InterchangeItem,
  InterchangeRegion,
} from '../model.ts'
import { NameAllocator, baseName, extName, stripExt } from '../paths.ts'
import { VOC_CONVENTIONS, type VocConvention } from './import.ts'
import { buildXml, formatCoordinate, type XmlNode } from './xml.ts'
import { chooseOption } from '../common/options.ts'
import { paintIndex, VOID_INDEX, writeIndexPng } from './segmentation.ts'

/**
 * Whether to write `SegmentationObject/<id>.png`: `auto` (the default) does when the dataset
 * holds a mask, since VOC has no other place for one; `true` also rasterises polygons.
 */
export const VOC_SEGMENTATION = ['auto', 'true', 'false'] as const

export type VocExportOptions = {
  convention?: VocConvention
  segmentation?: boolean | (typeof VOC_SEGMENTATION)[number]
}

export type VocExportResult = {
  files: FileSet
  report: ConversionReport
  /** Where each item's image belongs in the export (`JPEGImages/<id><ext>`), by item key. */
  images: Map<string, string>
}

/** Attributes VOC has elements for; everything else goes to `<attributes>` as CVAT writes it. */
const NATIVE = ['pose', 'truncated', 'difficult', 'occluded'] as const

/**
 * Writes a VOCdevkit tree: `Annotations/<id>.xml` per item, `ImageSets/Main/<subset>.txt` per
 * named subset. VOC is flat, so ids are the image's base name, made unique with `_2`, `_3`
 * when names repeat across folders or subsets. Boxes are clipped to the image when its size is
 * known; rotated boxes, polygons, lines and masks become their bounds (reported as lossy). With
 * segmentation, each object's mask (or rasterised polygon) goes to a palette PNG in
 * `SegmentationObject/` at the object's index; a mask grouped with a box of its label is that
 * box's object, as the importer reads it.
 */
export function exportVoc(
  dataset: InterchangeDataset,
  options: VocExportOptions = {},
): VocExportResult {
  const convention = chooseOption('convention', options.convention, VOC_CONVENTIONS, 'one-based')
  const offset = convention === 'one-based' ? 1 : 0
  const segmentation = chooseSegmentation(options.segmentation, dataset)
  const report = new ReportBuilder()
  const files: FileSet = new Map()
  const images = new Map<string, string>()
  const ids = new NameAllocator()
  const lists = new Map<string, string[]>()

  for (const item of dataset.items) {
    const ext = extName(item.path) || '.jpg'
    const id = ids.allocate(stripExt(baseName(item.path)) || 'image')
    if (id !== stripExt(baseName(item.path))) {
      report.count('renumbered', 'image names repeat across folders; later ones get a suffix')
    }
    if (item.path.includes('/')) report.count('other', 'VOC is flat: image folders dropped')
    images.set(item.key, `JPEGImages/${id}${ext}`)
    if (item.subset) {
      const list = item.subset.replace(/[^\w.-]/g, '_')
      lists.set(list, [...(lists.get(list) ?? []), id])
    }
    if (item.tags.length > 0) report.lossy('tag', 'VOC has no image tags', item.tags.length)

    const objects: XmlNode[] = []
    const instances: (Rle | undefined)[] = []
    const boxOf = boxesByGroup(item.regions)
    reportLostGroups(item.regions, boxOf, report)
    for (const region of item.regions) {
      const owner = region.kind === 'mask' ? boxOf.get(groupKey(region)) : undefined
      if (region.kind === 'mask' && owner !== undefined) {
        if (segmentation) instances[owner] = fittingMask(region.geometry, item, report)
        else report.lossy('mask', 'object masks need segmentation; left out')
        continue
      }
      const bounds = regionBounds(region, report, segmentation)
      if (!bounds) continue
      const { box, clipped } =
        item.width && item.height
          ? clipBbox(bounds, item.width, item.height)
          : { box: bounds, clipped: false }
      if (clipped) report.count('clipped', 'box clipped to the image')
      if (segmentation) instances[objects.length] = instanceOf(region, item, report)
      objects.push(objectXml(region, box, offset, report))
    }
    const segmented = segmentation && instances.some((m) => m !== undefined)
    if (segmented) files.set(`SegmentationObject/${id}.png`, instancePng(instances, item, report))
    const annotation: XmlNode = {
      folder: 'JPEGImages',
      filename: `${id}${ext}`,
      ...(item.width && item.height
        ? { size: { width: item.width, height: item.height, depth: 3 } }
        : {}),
      segmented: segmented ? 1 : 0,
      object: objects,
    }
    files.set(`Annotations/${id}.xml`, encodeText(buildXml({ annotation })))
  }
  for (const [list, members] of lists) {
    files.set(`ImageSets/Main/${list}.txt`, encodeText(members.map((id) => `${id}\n`).join('')))
  }
  return { files, report: report.build(), images }
}

function chooseSegmentation(value: unknown, dataset: InterchangeDataset) {
  // Options arrive from query strings, which say 1 and 0 as often as true and false.
  const aliases: Record<string, string> = { '1': 'true', '0': 'false' }
  const text = typeof value === 'boolean' ? String(value) : (aliases[String(value)] ?? value)
  const choice = chooseOption('segmentation', text, VOC_SEGMENTATION, 'auto')
  if (choice !== 'auto') return choice === 'true'
  return dataset.items.some((item) => item.regions.some((r) => r.kind === 'mask'))
}

function groupKey(region: InterchangeRegion): string | undefined {
  return region.group == null ? undefined : `${String(region.group)}\u0000${region.label}`
}

/**
 * VOC keeps one kind of group: a box and the mask of the same object (its pixels in the
 * segmentation PNGs). Every other grouped region is counted as the shared rules count groups a
 * format cannot carry.
 */
function reportLostGroups(
  regions: InterchangeRegion[],
  boxOf: Map<string | undefined, number>,
  report: ReportBuilder,
): void {
  const withMask = new Set(regions.filter((r) => r.kind === 'mask').map((r) => groupKey(r)))
  for (const region of regions) {
    const key = groupKey(region)
    if (key === undefined) continue
    const kept =
      (region.kind === 'mask' && boxOf.has(key)) || (region.kind === 'bbox' && withMask.has(key))
    if (!kept)
      report.lossy(region.kind, 'the format has no instance groups; parts export separately')
  }
}

/** Object number (0-based) of each grouped box, by group and label, as the export numbers them. */
function boxesByGroup(regions: InterchangeRegion[]): Map<string | undefined, number> {
  const grouped = new Set<string>()
  for (const region of regions) {
    const key = groupKey(region)
    if (region.kind === 'bbox' && key !== undefined) grouped.add(key)
  }
  const boxes = new Map<string | undefined, number>()
  let object = 0
  for (const region of regions) {
    // Only regions written as objects count: points are not, nor masks a box owns.
    const key = groupKey(region)
    if (region.kind === 'point' || region.kind === 'keypoints') continue
    if (region.kind === 'mask' && key !== undefined && grouped.has(key)) continue
    if (region.kind === 'bbox' && key !== undefined && !boxes.has(key)) boxes.set(key, object)
    object++
  }
  return boxes
}

/** The pixels of a region's object, for regions that have any inside them. */
function instanceOf(region: InterchangeRegion, item: InterchangeItem, report: ReportBuilder) {
  if (region.kind === 'mask') return fittingMask(region.geometry, item, report)
  if (region.kind !== 'polygon' || !item.width || !item.height) return undefined
  return rasterizePolygon(region.geometry, item.width, item.height)
}

function fittingMask(mask: Rle, item: InterchangeItem, report: ReportBuilder) {
  if (mask.width === item.width && mask.height === item.height) return mask
  report.lossy('mask', 'a mask of another size than its image is not written')
  return undefined
}

function instancePng(
  instances: (Rle | undefined)[],
  item: InterchangeItem,
  report: ReportBuilder,
): Uint8Array {
  if (instances.length >= VOID_INDEX) {
    report.lossy('mask', `VOC indexes at most ${VOID_INDEX - 1} objects; later masks not written`)
    instances = instances.slice(0, VOID_INDEX - 1)
  }
  const { image, overlap } = paintIndex(item.width!, item.height!, instances)
  if (overlap > 0)
    report.lossy('mask', 'VOC objects cannot overlap; later objects take shared pixels')
  return writeIndexPng(image)
}

/** What a polygon or mask becomes with segmentation PNGs written: one object, two regions back. */
const SEGMENTED =
  'written as its box, its pixels in the segmentation PNGs: imported back as a box and a mask'

function regionBounds(
  region: InterchangeRegion,
  report: ReportBuilder,
  segmentation: boolean,
): BboxGeometry | undefined {
  switch (region.kind) {
    case 'bbox':
      return region.geometry
    case 'rbox':
      report.lossy('rbox', 'VOC has no rotation: written as the axis-aligned bounds')
      return rboxBounds(region.geometry)
    case 'polygon':
      report.lossy('polygon', segmentation ? SEGMENTED : 'written as its bounding box')
      return boundsOfPoints(outerRings(region.geometry).flat())
    case 'polyline':
      report.lossy('polyline', 'written as its bounding box')
      return boundsOfPoints(region.geometry.points)
    case 'mask':
      report.lossy('mask', segmentation ? SEGMENTED : 'written as its bounding box')
      return rleBbox(region.geometry)
    case 'point':
    case 'keypoints':
      report.lossy(region.kind, 'VOC carries no points; not written')
      return undefined
  }
}

/** How far from a whole pixel a corner may be and still be written as that pixel. */
const SNAP_PX = 0.01

/**
 * A corner as VOC text. Corners that came through a format of normalised values (YOLO's six
 * decimals) sit a hair off the pixel they were drawn on, `6.999968`; readers that take VOC with
 * `int()` truncate that to 6, a pixel off, or refuse it. Within {@link SNAP_PX} of a whole pixel
 * a corner is written as that pixel (rounded, never truncated) and counted; a genuine float
 * corner (`88.5`) is written as it is.
 */
function snapCorner(value: number, report: ReportBuilder): string {
  const whole = Math.round(value)
  const gap = Math.abs(value - whole)
  if (gap >= SNAP_PX) return formatCoordinate(value)
  if (gap > 1e-9)
    report.lossy('bbox', `corners within ${SNAP_PX} px of a whole pixel written as it`)
  return String(whole)
}

function objectXml(
  region: InterchangeRegion,
  box: BboxGeometry,
  offset: number,
  report: ReportBuilder,
): XmlNode {
  const attrs = region.attributes
  const flag = (value: unknown) => (typeof value === 'boolean' ? Number(value) : value)
  const object: XmlNode = { name: region.label, pose: attrs.pose ?? 'Unspecified' }
  object.truncated = flag(attrs.truncated ?? false)
  object.difficult = flag(attrs.difficult ?? false)
  if (attrs.occluded !== undefined) object.occluded = flag(attrs.occluded)
  const corner = (value: number) => snapCorner(value, report)
  object.bndbox = {
    xmin: corner(box.x + offset),
    ymin: corner(box.y + offset),
    // One-based xmax is the last pixel inside: x + w - 1 + 1; continuous xmax is x + w as well.
    xmax: corner(box.x + box.w),
    ymax: corner(box.y + box.h),
  }
  const extra: XmlNode[] = []
  for (const [name, value] of Object.entries(attrs)) {
    if ((NATIVE as readonly string[]).includes(name)) continue
    if (value !== null && typeof value === 'object') {
      report.lossy('attribute', 'VOC attributes are scalars; structured values not written')
      continue
    }
    extra.push({ name, value: value === null ? '' : String(value) })
  }
  if (extra.length > 0) object.attributes = { attribute: extra }
  if (region.score !== undefined && region.score !== null) {
    report.lossy('attribute', 'VOC has no score')
  }
  return object
}
