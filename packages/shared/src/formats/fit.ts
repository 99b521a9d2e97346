import { clamp, clipBbox } from '../geometry/index.ts'
import { ReportBuilder } from './common/report.ts'
import type {
  ConversionReport,
  InterchangeDataset,
  InterchangeItem,
  InterchangeRegion,
} from './model.ts'

/** What a format keeps of a region beyond its kind, geometry, label and attributes. */
export type FormatCarries = { crowd: boolean; group: boolean; outside: boolean }

/**
 * Prepares a dataset for a format's exporter, so that every format keeps the same rules: a box
 * is clipped to its image (a box wholly outside is left out), and whatever the format cannot
 * carry (the crowd flag, instance groups) is counted in the lossiness report rather than
 * dropped in silence. A format that carries geometry outside the image (Concord's own,
 * lossless) gets its boxes as they are.
 */
export function fitForExport(
  dataset: InterchangeDataset,
  carries: FormatCarries,
): { dataset: InterchangeDataset; report: ConversionReport } {
  const report = new ReportBuilder()
  const items = dataset.items.map((item) => fitItem(item, carries, report))
  return { dataset: { ...dataset, items }, report: report.build() }
}

function fitItem(item: InterchangeItem, carries: FormatCarries, report: ReportBuilder) {
  const regions = []
  for (const region of item.regions) {
    if (region.crowd && !carries.crowd) report.lossy(region.kind, 'the format has no crowd flag')
    if (region.group != null && !carries.group) {
      report.lossy(region.kind, 'the format has no instance groups; parts export separately')
    }
    if (region.kind !== 'bbox' || carries.outside || !item.width || !item.height) {
      regions.push(region)
      continue
    }
    const { box, clipped } = clipBbox(region.geometry, item.width, item.height)
    if (!clipped) {
      regions.push(region)
    } else if (box.w > 0 && box.h > 0) {
      report.count('clipped', 'boxes clipped to the image', item.key)
      regions.push({ ...region, geometry: box })
    } else {
      report.count('skipped', 'boxes wholly outside the image left out', item.key)
    }
  }
  return { ...item, regions }
}

/** Reports in the order they happened: the fitting first, then the format's own. */
export function mergeReports(...reports: ConversionReport[]): ConversionReport {
  return {
    warnings: reports.flatMap((r) => r.warnings),
    lossiness: reports.flatMap((r) => r.lossiness),
  }
}

/** How far past the image edge a vertex may lie and still be kept as drawn, in pixels. */
const EDGE_SLACK = 1

/**
 * Fits one imported region to its image, as displayed: a box is clipped (left out when wholly
 * outside); a point of another shape more than a pixel outside is clamped to the image. Returns null for a region left
 * out, and says whether it changed, so the import can count both.
 */
export function fitRegionToImage(
  region: InterchangeRegion,
  width: number,
  height: number,
): { region: InterchangeRegion | null; changed: boolean } {
  // Tools put vertices on the edge with sub-pixel overshoot (labelme writes 375.38 on a 375 px
  // image); those are kept as drawn. Beyond a pixel a point is an error and is clamped.
  let changed = false
  const fit = (v: number, max: number) => {
    if (v >= -EDGE_SLACK && v <= max + EDGE_SLACK) return v
    const inside = clamp(v, 0, max)
    if (inside !== v) changed = true
    return inside
  }
  const x = (v: number) => fit(v, width)
  const y = (v: number) => fit(v, height)
  const pts = (list: [number, number][]) =>
    list.map(([px, py]) => [x(px), y(py)] as [number, number])
  let fitted: InterchangeRegion
  switch (region.kind) {
    case 'bbox': {
      const { box, clipped } = clipBbox(region.geometry, width, height)
      if (!clipped) return { region, changed: false }
      return { region: box.w > 0 && box.h > 0 ? { ...region, geometry: box } : null, changed: true }
    }
    case 'point':
      fitted = { ...region, geometry: { x: x(region.geometry.x), y: y(region.geometry.y) } }
      break
    case 'polygon': {
      const g = region.geometry
      fitted = {
        ...region,
        geometry: {
          ...g,
          points: pts(g.points),
          ...(g.holes ? { holes: g.holes.map(pts) } : {}),
          ...(g.parts ? { parts: g.parts.map(pts) } : {}),
        },
      }
      break
    }
    case 'polyline':
      fitted = { ...region, geometry: { points: pts(region.geometry.points) } }
      break
    case 'keypoints':
      fitted = {
        ...region,
        geometry: { points: region.geometry.points.map((p) => ({ ...p, x: x(p.x), y: y(p.y) })) },
      }
      break
    default:
      // A rotated box turns about its centre and a mask is sized to its image: left as they are.
      return { region, changed: false }
  }
  // Unchanged regions are handed back as they came, not as the copy made while checking.
  return changed ? { region: fitted, changed } : { region, changed }
}
