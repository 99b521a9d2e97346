import type { Point } from '../../geometry/index.ts'
import { rleBbox, rleToBinary } from '../../geometry/index.ts'
import { encodeJson } from '../common/json.ts'
import { chooseOption } from '../common/options.ts'
import { ReportBuilder } from '../common/report.ts'
import type {
  ConversionReport,
  FileSet,
  InterchangeDataset,
  InterchangeItem,
  InterchangeRegion,
} from '../model.ts'
import { rboxCornersInImage, reportRboxPastEdge } from '../fit.ts'
import { NameAllocator, baseName, stripExt } from '../paths.ts'
import { isCirclePolygon, readCircle } from './circle.ts'
import { encodePngMask, toBase64 } from './png-mask.ts'
import { rboxToRotation } from './rotation.ts'

export type LabelmeExportOptions = {
  /** Image bytes to embed as `imageData`, by item key; by default no image is embedded. */
  imageData?: (key: string) => Uint8Array | undefined
  /**
   * `labelme` (default) writes only shapes labelme itself opens; `anylabeling` writes rotated
   * boxes as the AnyLabeling forks' `rotation` shapes, which labelme cannot open.
   */
  flavour?: 'labelme' | 'anylabeling'
}

/** The labelme version we write; 5.x reads `description` and `mask`. */
const LABELME_VERSION = '5.5.0'

type Shape = {
  label: string
  points: number[][]
  group_id: number | null
  description: string
  shape_type: string
  flags: Record<string, boolean>
  mask: string | null
  attributes?: Record<string, unknown>
  /** The forks' rotation in radians, on `rotation` shapes only. */
  direction?: number
}

/**
 * Exports one labelme JSON per item, beside where the image sits (`<folder>/<stem>.json` with
 * `imagePath` its base name); a second item with the same stem gets `<stem>_2.json`. Boolean
 * attributes become shape flags, `description` the description, other attributes an
 * `attributes` object (labelme keeps unknown shape keys). Tags become image flags.
 */
export function exportLabelme(
  dataset: InterchangeDataset,
  options: LabelmeExportOptions = {},
): { files: FileSet; report: ConversionReport } {
  const flavour = chooseOption(
    'flavour',
    options.flavour,
    ['labelme', 'anylabeling'] as const,
    'labelme',
  )
  const report = new ReportBuilder()
  const files: FileSet = new Map()
  const names = new NameAllocator()
  for (const item of dataset.items) {
    const shapes = itemShapes(item, flavour, report)
    const embedded = options.imageData?.(item.key)
    const doc = {
      version: LABELME_VERSION,
      flags: Object.fromEntries(item.tags.map((t) => [t, true])),
      shapes,
      imagePath: baseName(item.path),
      imageData: embedded ? toBase64(embedded) : null,
      imageHeight: item.height ?? null,
      imageWidth: item.width ?? null,
    }
    if (!item.width || !item.height)
      report.count('missing-size', 'image size unknown; imageWidth and imageHeight left empty')
    const name = names.allocate(
      `${stripExt(item.subset ? `${item.subset}/${item.path}` : item.path)}.json`,
    )
    files.set(name, encodeJson(doc))
  }
  return { files, report: report.build() }
}

function itemShapes(
  item: InterchangeItem,
  flavour: 'labelme' | 'anylabeling',
  report: ReportBuilder,
): Shape[] {
  const usedGroups = item.regions
    .map((r) => r.group)
    .filter((g): g is number => typeof g === 'number')
  let nextGroup = usedGroups.length ? Math.max(...usedGroups) + 1 : 0
  const groupIds = new Map<string, number>()
  const groupOf = (region: InterchangeRegion, needed: boolean): number | null => {
    if (typeof region.group === 'number' && Number.isInteger(region.group)) return region.group
    if (region.group != null) {
      const key = String(region.group)
      if (!groupIds.has(key)) groupIds.set(key, nextGroup++)
      return groupIds.get(key)!
    }
    return needed ? nextGroup++ : null
  }

  const shapes: Shape[] = []
  for (const region of item.regions) {
    if (region.score != null) report.lossy('attribute', 'labelme has no score')
    const flags: Record<string, boolean> = {}
    const attributes: Record<string, unknown> = {}
    let description = ''
    for (const [k, v] of Object.entries(region.attributes)) {
      if (k === 'description' && typeof v === 'string') description = v
      else if (typeof v === 'boolean') flags[k] = v
      else attributes[k] = v
    }
    const make = (
      shape_type: string,
      points: number[][],
      group: number | null,
      mask: string | null = null,
    ): Shape => ({
      label: region.label,
      points,
      group_id: group,
      description,
      shape_type,
      flags,
      mask,
      ...(Object.keys(attributes).length ? { attributes } : {}),
    })
    switch (region.kind) {
      case 'bbox': {
        const g = region.geometry
        shapes.push(
          make(
            'rectangle',
            [
              [g.x, g.y],
              [g.x + g.w, g.y + g.h],
            ],
            groupOf(region, false),
          ),
        )
        break
      }
      case 'rbox': {
        if (flavour === 'anylabeling') {
          reportRboxPastEdge(region.geometry, item, report)
          const { points, direction } = rboxToRotation(region.geometry)
          shapes.push({ ...make('rotation', points, groupOf(region, false)), direction })
          break
        }
        const corners = rboxCornersInImage(region.geometry, item, report)
        if (!corners) break
        report.lossy('rbox', 'labelme has no rotated rectangle; written as a 4-point polygon')
        shapes.push(make('polygon', corners, groupOf(region, false)))
        break
      }
      case 'polygon': {
        const g = region.geometry
        const circle = readCircle(region.extra?.labelmeCircle)
        if (circle && !g.parts?.length && !g.holes?.length && isCirclePolygon(g.points, circle)) {
          shapes.push(
            make(
              'circle',
              [[circle.cx, circle.cy], circle.edge ?? [circle.cx + circle.r, circle.cy]],
              groupOf(region, false),
            ),
          )
          break
        }
        if (g.holes?.length)
          report.lossy('polygon', 'labelme polygons have no holes; holes left out')
        const rings: Point[][] = [g.points, ...(g.parts ?? [])]
        // Parts of one object share a group_id, which is how labelme marks one instance.
        const group = groupOf(region, rings.length > 1)
        for (const ring of rings) shapes.push(make('polygon', ring, group))
        break
      }
      case 'polyline': {
        const line = region.extra?.labelmeShape === 'line' && region.geometry.points.length === 2
        shapes.push(
          make(line ? 'line' : 'linestrip', region.geometry.points, groupOf(region, false)),
        )
        break
      }
      case 'point':
        shapes.push(make('point', [[region.geometry.x, region.geometry.y]], groupOf(region, false)))
        break
      case 'keypoints': {
        report.lossy(
          'keypoints',
          'labelme has no keypoint sets; labelled points written as grouped points, visibility lost',
        )
        const group = groupOf(region, true)
        for (const p of region.geometry.points)
          if (p.v > 0) shapes.push(make('point', [[p.x, p.y]], group))
        break
      }
      case 'mask': {
        const g = region.geometry
        const box = rleBbox(g)
        if (box.w === 0 || box.h === 0) {
          report.count('skipped', 'empty mask left out')
          break
        }
        const full = rleToBinary(g)
        const bits = new Uint8Array(box.w * box.h)
        for (let y = 0; y < box.h; y++) {
          for (let x = 0; x < box.w; x++)
            bits[y * box.w + x] = full[(box.x + x) * g.height + box.y + y]!
        }
        const png = toBase64(encodePngMask({ width: box.w, height: box.h, bits }))
        const corners = [
          [box.x, box.y],
          [box.x + box.w - 1, box.y + box.h - 1],
        ]
        shapes.push(make('mask', corners, groupOf(region, false), png))
        break
      }
    }
  }
  return shapes
}
