import { clipBbox } from '../geometry/index.ts'
import { ReportBuilder } from './common/report.ts'
import type { ConversionReport, InterchangeDataset, InterchangeItem } from './model.ts'

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
