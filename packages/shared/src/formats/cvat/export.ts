import { normalizeAngle } from '../../geometry/index.ts'
import { encodeText } from '../common/json.ts'
import { ReportBuilder } from '../common/report.ts'
import type {
  ConversionReport,
  FileSet,
  InterchangeDataset,
  InterchangeLabel,
  InterchangeRegion,
} from '../model.ts'
import { buildOrderedXml, formatCoordinate, IN_ORDER, type XmlNode } from '../voc/xml.ts'
import { reportRboxPastEdge } from '../fit.ts'
import { isEllipsePolygon, readEllipse } from './ellipse.ts'
import { rleToCvatMask } from './mask.ts'
import { skeletonNamesFor, writeSkeleton, writeSkeletonSvg } from './skeleton.ts'

export type CvatExportOptions = {
  /** Name of the XML file in the FileSet. */
  fileName?: string
}

/** Attributes that CVAT keeps on the shape element itself, not as `<attribute>` children. */
const SHAPE_FIELDS = new Set(['occluded', 'z_order'])

const f = formatCoordinate
const points = (list: readonly (readonly [number, number])[]) =>
  list.map(([x, y]) => `${f(x)},${f(y)}`).join(';')

/**
 * Writes CVAT for images XML 1.1: one `<image>` per item (with `subset` when it has one), the
 * label spec in `<meta><task>` with attribute types inferred from the values, and shapes with
 * coordinates to 6 decimals. Rotated boxes are boxes with `rotation`. A polygon's further parts
 * are polygons of their own sharing its `group_id` (a new one when it has no group), which the
 * importer joins again. Keypoints of a label with keypoint names are skeletons, the label a
 * skeleton label with its points as sublabels; other keypoints are `<points>`.
 */
export function exportCvat(
  dataset: InterchangeDataset,
  options: CvatExportOptions = {},
): { files: FileSet; report: ConversionReport } {
  const report = new ReportBuilder()
  const labels = new Map(dataset.labels.map((l) => [l.name, l]))
  const images: XmlNode[] = dataset.items.map((item, id) => {
    const image: XmlNode = { '@_id': id, '@_name': item.path }
    if (item.subset) image['@_subset'] = item.subset
    if (item.width && item.height) {
      image['@_width'] = item.width
      image['@_height'] = item.height
    } else report.count('missing-size', 'image without width and height')
    // Keys are the regions' groups, or a fresh object for the parts of an ungrouped polygon.
    const groups = new Map<unknown, number>()
    // Shapes in the regions' order, kinds interleaved, as CVAT writes them.
    const written: [string, XmlNode][] = []
    for (const region of item.regions) {
      // CVAT carries a rotated box past the edge as it is: said, not clipped.
      if (region.kind === 'rbox') reportRboxPastEdge(region.geometry, item, report)
      const shapes = shapesOf(region, labels.get(region.label), report)
      if (shapes.length === 0) continue
      const group = region.group ?? (shapes.length > 1 ? {} : null)
      if (group !== null && !groups.has(group)) groups.set(group, groups.size + 1)
      const fields = shapeFields(region, report)
      for (const [tag, node] of shapes) {
        if (group !== null) node['@_group_id'] = groups.get(group)
        Object.assign(node, fields)
        written.push([tag, node])
      }
    }
    for (const tag of item.tags) written.push(['tag', { '@_label': tag, '@_source': 'manual' }])
    if (written.length > 0) image[IN_ORDER] = written
    return image
  })

  const annotations: XmlNode = {
    version: '1.1',
    meta: {
      task: {
        name: 'concord',
        size: dataset.items.length,
        mode: 'annotation',
        labels: { label: labelSpec(dataset) },
      },
    },
    image: images,
  }
  const fileName = options.fileName ?? 'annotations.xml'
  return {
    files: new Map([[fileName, encodeText(buildOrderedXml({ annotations }))]]),
    report: report.build(),
  }
}

function shapeFields(region: InterchangeRegion, report: ReportBuilder): XmlNode {
  const node: XmlNode = {
    '@_label': region.label,
    '@_source': region.source === 'model' ? 'auto' : 'manual',
    '@_occluded': region.attributes.occluded === true ? 1 : 0,
    '@_z_order': typeof region.attributes.z_order === 'number' ? region.attributes.z_order : 0,
  }
  const children: XmlNode[] = []
  for (const [name, value] of Object.entries(region.attributes)) {
    if (SHAPE_FIELDS.has(name)) continue
    if (value !== null && typeof value === 'object') {
      report.lossy('attribute', 'CVAT attributes are scalars; structured values not written')
      continue
    }
    children.push({ '@_name': name, '#text': value === null ? '' : String(value) })
  }
  if (children.length > 0) node.attribute = children
  if (region.score !== undefined && region.score !== null)
    report.lossy('attribute', 'CVAT has no score')
  return node
}

/** The CVAT shapes one region is written as: one, several for a multi-part polygon, or none. */
function shapesOf(
  region: InterchangeRegion,
  label: InterchangeLabel | undefined,
  report: ReportBuilder,
): [string, XmlNode][] {
  if (region.kind === 'polygon') {
    const g = region.geometry
    if (g.holes?.length) report.lossy('polygon', 'CVAT polygons have no holes')
    const ellipse = readEllipse(region.extra?.cvatEllipse)
    if (ellipse && !g.parts?.length && !g.holes?.length && isEllipsePolygon(g.points, ellipse)) {
      const { cx, cy, rx, ry, rotation } = ellipse
      const node: XmlNode = { '@_cx': f(cx), '@_cy': f(cy), '@_rx': f(rx), '@_ry': f(ry) }
      if (rotation) node['@_rotation'] = f(normalizeAngle(rotation))
      return [['ellipse', node]]
    }
    return [g.points, ...(g.parts ?? [])].map((ring) => ['polygon', { '@_points': points(ring) }])
  }
  if (region.kind === 'keypoints') {
    const names = skeletonNamesFor(label, region.geometry.points.length)
    if (names) return [['skeleton', writeSkeleton(region.geometry, names)]]
  }
  const shape = shapeOf(region, report)
  return shape ? [shape] : []
}

function shapeOf(region: InterchangeRegion, report: ReportBuilder): [string, XmlNode] | undefined {
  switch (region.kind) {
    case 'bbox': {
      const { x, y, w, h } = region.geometry
      return ['box', { '@_xtl': f(x), '@_ytl': f(y), '@_xbr': f(x + w), '@_ybr': f(y + h) }]
    }
    case 'rbox': {
      const { cx, cy, w, h, angle } = region.geometry
      const box = {
        '@_xtl': f(cx - w / 2),
        '@_ytl': f(cy - h / 2),
        '@_xbr': f(cx + w / 2),
        '@_ybr': f(cy + h / 2),
      }
      return ['box', { ...box, '@_rotation': f(normalizeAngle(angle)) }]
    }
    case 'polygon':
      // Written by shapesOf, which knows about parts and ellipses.
      return ['polygon', { '@_points': points(region.geometry.points) }]
    case 'polyline':
      return ['polyline', { '@_points': points(region.geometry.points) }]
    case 'point':
      return ['points', { '@_points': points([[region.geometry.x, region.geometry.y]]) }]
    case 'keypoints': {
      const kept = region.geometry.points.filter((p) => p.v > 0)
      if (kept.length < region.geometry.points.length || kept.some((p) => p.v !== 2)) {
        report.lossy(
          'keypoints',
          'keypoints of a label without matching keypoint names are CVAT points, which carry no visibility: hidden points written, unlabelled dropped',
        )
      }
      if (kept.length === 0) return undefined
      return ['points', { '@_points': points(kept.map((p) => [p.x, p.y] as [number, number])) }]
    }
    case 'mask': {
      const mask = rleToCvatMask(region.geometry)
      if (!mask) {
        report.count('skipped', 'empty mask not written')
        return undefined
      }
      const { rle, left, top, width, height } = mask
      return [
        'mask',
        {
          '@_rle': rle.join(', '),
          '@_left': left,
          '@_top': top,
          '@_width': width,
          '@_height': height,
        },
      ]
    }
  }
}

/** Declares each label with the attributes its regions use; the input type follows the values. */
function labelSpec(dataset: InterchangeDataset): XmlNode[] {
  const names = [
    ...new Set([
      ...dataset.labels.map((l) => l.name),
      ...dataset.items.flatMap((i) => i.regions.map((r) => r.label)),
    ]),
  ]
  const colors = new Map(dataset.labels.map((l) => [l.name, l.color]))
  const values = new Map<string, Map<string, unknown[]>>()
  for (const item of dataset.items) {
    for (const region of item.regions) {
      const byName = values.get(region.label) ?? new Map<string, unknown[]>()
      for (const [name, value] of Object.entries(region.attributes)) {
        if (SHAPE_FIELDS.has(name) || (value !== null && typeof value === 'object')) continue
        byName.set(name, [...(byName.get(name) ?? []), value])
      }
      values.set(region.label, byName)
    }
  }
  const declared = new Map(dataset.labels.map((l) => [l.name, l]))
  return names.flatMap((name) => {
    const label: XmlNode = { name }
    const color = colors.get(name)
    if (color) label.color = color
    const skeleton = declared.get(name)
    const sublabels: XmlNode[] = []
    if (skeleton?.keypoints?.length) {
      label.type = 'skeleton'
      label.svg = writeSkeletonSvg(skeleton)
      for (const point of skeleton.keypoints)
        sublabels.push({ name: point, type: 'points', parent: name })
    }
    const attributes = [...(values.get(name) ?? new Map<string, unknown[]>())].map(
      ([attribute, seen]) => {
        const distinct = [...new Set(seen.map((v) => (v === null ? '' : String(v))))]
        const type = seen.every((v) => typeof v === 'boolean')
          ? 'checkbox'
          : seen.every((v) => typeof v === 'number')
            ? 'number'
            : 'text'
        return {
          name: attribute,
          mutable: 'False',
          input_type: type,
          default_value: distinct[0] ?? '',
          values: distinct.join('\n'),
        }
      },
    )
    if (attributes.length > 0) label.attributes = { attribute: attributes }
    return [label, ...sublabels]
  })
}
