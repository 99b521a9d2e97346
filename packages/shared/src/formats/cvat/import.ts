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
import { extName, itemKey, normalizePath } from '../paths.ts'
import { childOf, childrenOf, parseXml, positionOf, textOf, type XmlNode } from '../voc/xml.ts'
import { ellipseToPolygon } from './ellipse.ts'
import { joinGroupedPolygons } from './groups.ts'
import { cvatMaskToRle } from './mask.ts'
import { readSkeleton, readSkeletonEdges, type KeypointNames } from './skeleton.ts'

export type CvatImportOptions = Record<string, never>

const ARRAYS = [
  'image',
  'box',
  'polygon',
  'polyline',
  'points',
  'mask',
  'tag',
  'attribute',
  'label',
  'track',
  'ellipse',
  'cuboid',
  'skeleton',
]

type AttributeTypes = Map<string, Map<string, string>>

/** What `<meta>` declares about labels that shapes need: attribute types and keypoint names. */
type LabelSpec = { types: AttributeTypes; keypoints: KeypointNames }

/**
 * Reads CVAT for images XML 1.1: `<image>` elements with boxes (rotated when `rotation` is
 * set), polygons, polylines, points, masks and tags, their `<attribute>` values typed by the
 * label spec in `<meta>`, `occluded`, `z_order`, `group_id`. Items are keyed by the image's
 * `subset` and full `name`, so the same file name in two subsets is two items; an image named
 * twice in one subset is one item (regions merged, with a warning) unless its two sizes differ,
 * which is refused.
 *
 * Ellipses become 64-point polygons (reported; the ellipse is kept in `extra.cvatEllipse` so an
 * unedited one exports as an ellipse again). Skeletons become keypoints in the order of the
 * label's sublabels, which become the label's keypoint names. Polygons one group ties into an
 * object become one multi-part polygon (see {@link joinGroupedPolygons}), counted in the report.
 */
export function importCvat(
  input: FileSet,
  _options: CvatImportOptions = {},
): { dataset: InterchangeDataset; report: ConversionReport } {
  const report = new ReportBuilder()
  const labels: InterchangeLabel[] = []
  const labelNames = new Set<string>()
  const spec: LabelSpec = { types: new Map(), keypoints: new Map() }
  const items = new Map<string, InterchangeItem>()

  const xmlFiles = [...input.keys()].filter((p) => extName(p).toLowerCase() === '.xml').sort()
  if (xmlFiles.length === 0) throw new FormatError('(upload)', undefined, 'no CVAT XML file')
  for (const file of xmlFiles) {
    const doc = parseXml(file, decodeText(input.get(file)!, file), ARRAYS)
    const root = childOf(doc, 'annotations')
    if (!root) throw new FormatError(file, undefined, 'not CVAT XML (no <annotations>)')
    const version = textOf(root.version)
    if (version && version !== '1.1') {
      report.warn({ code: 'other', message: `CVAT XML version ${version}; read as 1.1`, file })
    }
    for (const label of readMetaLabels(root, spec)) {
      if (labelNames.has(label.name)) continue
      labelNames.add(label.name)
      labels.push(label)
    }
    readTracks(file, root, items, spec, report)
    childrenOf(root, 'image').forEach((image, index) => {
      const where = `annotations/image[${index}]`
      const name = attr(image, 'name')
      if (!name) throw new FormatError(file, where, 'image without a name')
      const path = normalizePath(name)
      const subset = attr(image, 'subset') ?? ''
      const key = itemKey(subset, path)
      const width = Number(attr(image, 'width'))
      const height = Number(attr(image, 'height'))
      const sized = width > 0 && height > 0
      let item = items.get(key)
      if (item) {
        // Two sizes are two images that happen to share a name: merging would misplace regions.
        const first = item.width && item.height ? `${item.width}x${item.height}` : undefined
        const size = `${width}x${height}`
        if (sized && first && first !== size) {
          throw new FormatError(
            file,
            where,
            `image ${key} appears twice with sizes ${first} and ${size}`,
          )
        }
        report.warn({ code: 'other', message: `image ${key} appears twice; regions merged`, file })
      } else {
        item = { key, subset, path, regions: [], tags: [] }
        if (sized) Object.assign(item, { width, height })
        items.set(key, item)
      }
      readShapes(file, where, image, item, spec, report)
    })
  }

  for (const item of items.values()) {
    const { regions, joined } = joinGroupedPolygons(item.regions)
    item.regions = regions
    if (joined > 0) {
      const message = 'polygons sharing a group_id joined into one multi-part polygon'
      report.count('other', message, undefined, joined)
    }
    padSkeletons(item, spec.keypoints)
  }

  for (const item of items.values()) {
    for (const label of [...item.regions.map((r) => r.label), ...item.tags]) {
      if (labelNames.has(label)) continue
      labelNames.add(label)
      labels.push({ name: label })
      report.count('unknown-label', `label "${label}" is not in <meta>; added`)
    }
  }
  for (const label of labels) {
    const names = spec.keypoints.get(label.name)
    if (names?.length) label.keypoints = [...names]
  }
  return { dataset: { labels, items: [...items.values()] }, report: report.build() }
}

/**
 * A skeleton read before a later one named a point `<meta>` lacked has fewer points than the
 * label now has names; it gets the missing ones as not labelled, so every set has one length.
 */
function padSkeletons(item: InterchangeItem, keypoints: KeypointNames): void {
  for (const region of item.regions) {
    const names = keypoints.get(region.label)
    if (region.kind !== 'keypoints' || !names) continue
    const { points } = region.geometry
    while (points.length < names.length) points.push({ x: 0, y: 0, v: 0 })
  }
}

/**
 * Video tracks: every shape a track has on a frame where it is not `outside` becomes a region
 * of the item `frame_<6 digits>` (CVAT's own frame naming), with the track id as an attribute.
 * CVAT dumps interpolated frames too, so no interpolation is needed here.
 */
function readTracks(
  file: string,
  root: XmlNode,
  items: Map<string, InterchangeItem>,
  spec: LabelSpec,
  report: ReportBuilder,
): void {
  const meta = childOf(root, 'meta')
  const task = meta && childOf(meta, 'task')
  const size = task && childOf(task, 'original_size')
  const width = Number(textOf(size?.width))
  const height = Number(textOf(size?.height))
  const tracks = childrenOf(root, 'track')
  if (tracks.length > 0) {
    report.count(
      'other',
      'video tracks read as shapes on each frame where they are not outside; keyframes and interpolation are not kept (the track id is the attribute track_id)',
      file,
      tracks.length,
    )
  }
  tracks.forEach((track, t) => {
    const label = attr(track, 'label') ?? ''
    const frames = new Map<string, XmlNode>()
    for (const kind of ['box', 'polygon', 'polyline', 'points', 'mask', 'ellipse', 'skeleton']) {
      for (const shape of childrenOf(track, kind)) {
        if (attr(shape, 'outside') === '1') continue
        const frame = `frame_${(attr(shape, 'frame') ?? '0').padStart(6, '0')}`
        const holder = frames.get(frame) ?? {}
        const copy = { ...shape, '@_label': label }
        ;((holder[kind] ??= []) as XmlNode[]).push(copy)
        frames.set(frame, holder)
      }
    }
    for (const [frame, holder] of frames) {
      let item = items.get(frame)
      if (!item) {
        item = { key: frame, subset: '', path: frame, regions: [], tags: [] }
        if (width > 0 && height > 0) Object.assign(item, { width, height })
        items.set(frame, item)
      }
      const before = item.regions.length
      readShapes(file, `annotations/track[${t}]`, holder, item, spec, report)
      for (const region of item.regions.slice(before)) {
        region.attributes.track_id = Number(attr(track, 'id') ?? t)
      }
    }
  })
}

function attr(node: XmlNode, name: string): string | undefined {
  const value = node[`@_${name}`]
  return value === undefined ? undefined : String(value)
}

/**
 * The labels `<meta>` declares, with their attribute types. A skeleton's sublabels (labels with
 * a `<parent>`) are not labels of their own but the parent's keypoint names, in declared order;
 * the edges come from the parent's `<svg>`.
 */
function readMetaLabels(root: XmlNode, spec: LabelSpec): InterchangeLabel[] {
  const meta = childOf(root, 'meta')
  if (!meta) return []
  const labels: InterchangeLabel[] = []
  const svgs = new Map<InterchangeLabel, string>()
  for (const holder of ['task', 'project', 'job']) {
    const node = childOf(meta, holder)
    const list = node && childOf(node, 'labels')
    for (const label of list ? childrenOf(list, 'label') : []) {
      const name = textOf(label.name)
      if (name === undefined || name === '') continue
      const parent = textOf(label.parent)
      if (parent) {
        const names = spec.keypoints.get(parent) ?? []
        if (!names.includes(name)) names.push(name)
        spec.keypoints.set(parent, names)
        continue
      }
      const color = textOf(label.color)
      const read: InterchangeLabel = color ? { name, color } : { name }
      labels.push(read)
      const svg = textOf(label.svg)
      if (svg) svgs.set(read, svg)
      const attributes = childOf(label, 'attributes')
      const byName = spec.types.get(name) ?? new Map<string, string>()
      for (const attribute of attributes ? childrenOf(attributes, 'attribute') : []) {
        const attributeName = textOf(attribute.name)
        if (attributeName) byName.set(attributeName, textOf(attribute.input_type) ?? 'text')
      }
      spec.types.set(name, byName)
    }
  }
  for (const [label, svg] of svgs) {
    const edges = readSkeletonEdges(svg, spec.keypoints.get(label.name) ?? [])
    if (edges.length > 0) label.skeleton = edges
  }
  return labels
}

function typed(type: string | undefined, text: string): unknown {
  if (type === 'checkbox') return text.toLowerCase() === 'true'
  if (type === 'number') {
    const value = Number(text)
    return Number.isFinite(value) ? value : text
  }
  return text
}

function parsePoints(file: string, where: string, text: string | undefined): [number, number][] {
  if (!text) throw new FormatError(file, where, 'shape without points')
  return text.split(';').map((pair) => {
    const [x, y] = pair.split(',').map(Number) as [number, number]
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      throw new FormatError(file, where, `bad point "${pair}"`)
    }
    return [x, y]
  })
}

function coordinate(file: string, where: string, node: XmlNode, name: string): number {
  const value = Number(attr(node, name))
  if (!Number.isFinite(value)) throw new FormatError(file, `${where}/@${name}`, 'not a number')
  return value
}

function readShapes(
  file: string,
  where: string,
  image: XmlNode,
  item: InterchangeItem,
  spec: LabelSpec,
  report: ReportBuilder,
): void {
  const cuboids = childrenOf(image, 'cuboid').length
  if (cuboids > 0) report.count('skipped', 'cuboid shapes are not read', file, cuboids)
  childrenOf(image, 'tag').forEach((tag, i) => {
    const label = attr(tag, 'label')
    if (isBlankLabel(label)) skipUnlabelled(report, file, `${where}/tag[${i}]`, 'tag')
    else item.tags.push(label!)
  })
  // A shape without a label cannot be a region; it is left out and reported where it stands.
  const labelled = (shape: XmlNode, at: string) => {
    if (!isBlankLabel(attr(shape, 'label'))) return true
    skipUnlabelled(report, file, at)
    return false
  }

  const common = (shape: XmlNode) => {
    const label = attr(shape, 'label') ?? ''
    const attributes: Record<string, unknown> = {}
    const labelTypes = spec.types.get(label)
    for (const attribute of childrenOf(shape, 'attribute')) {
      const name = attr(attribute, 'name')
      if (name) attributes[name] = typed(labelTypes?.get(name), textOf(attribute) ?? '')
    }
    if (attr(shape, 'occluded') === '1') attributes.occluded = true
    const z = Number(attr(shape, 'z_order') ?? 0)
    if (z) attributes.z_order = z
    const group = Number(attr(shape, 'group_id') ?? 0)
    return {
      label,
      attributes,
      source: attr(shape, 'source') === 'auto' ? ('model' as const) : ('human' as const),
      ...(group ? { group } : {}),
    }
  }

  // Shapes are read tag by tag; each keeps where its element stood, to be put back in file order.
  const before = item.regions.length
  const position = new Map<InterchangeRegion, number>()
  const push = (region: InterchangeRegion, node: XmlNode) => {
    item.regions.push(region)
    position.set(region, positionOf(node))
  }
  childrenOf(image, 'box').forEach((box, i) => {
    const at = `${where}/box[${i}]`
    if (!labelled(box, at)) return
    const [xtl, ytl, xbr, ybr] = ['xtl', 'ytl', 'xbr', 'ybr'].map((k) =>
      coordinate(file, at, box, k),
    ) as [number, number, number, number]
    if (xbr < xtl || ybr < ytl) throw new FormatError(file, at, 'box with negative size')
    const rotation = Number(attr(box, 'rotation') ?? 0)
    const geometry = { x: xtl, y: ytl, w: xbr - xtl, h: ybr - ytl }
    if (rotation) {
      const { x, y, w, h } = geometry
      push(
        {
          ...common(box),
          kind: 'rbox',
          geometry: { cx: x + w / 2, cy: y + h / 2, w, h, angle: rotation },
        },
        box,
      )
    } else push({ ...common(box), kind: 'bbox', geometry }, box)
  })
  childrenOf(image, 'polygon').forEach((shape, i) => {
    const at = `${where}/polygon[${i}]`
    if (!labelled(shape, at)) return
    const points = parsePoints(file, at, attr(shape, 'points'))
    if (points.length < 3) throw new FormatError(file, at, 'polygon with fewer than 3 points')
    push({ ...common(shape), kind: 'polygon', geometry: { points } }, shape)
  })
  childrenOf(image, 'polyline').forEach((shape, i) => {
    const at = `${where}/polyline[${i}]`
    if (!labelled(shape, at)) return
    const points = parsePoints(file, at, attr(shape, 'points'))
    if (points.length < 2) throw new FormatError(file, at, 'polyline with fewer than 2 points')
    push({ ...common(shape), kind: 'polyline', geometry: { points } }, shape)
  })
  childrenOf(image, 'points').forEach((shape, i) => {
    const at = `${where}/points[${i}]`
    if (!labelled(shape, at)) return
    const points = parsePoints(file, at, attr(shape, 'points'))
    if (points.length === 1) {
      const [x, y] = points[0]!
      push({ ...common(shape), kind: 'point', geometry: { x, y } }, shape)
    } else {
      const keypoints = points.map(([x, y]) => ({ x, y, v: 2 as const }))
      push({ ...common(shape), kind: 'keypoints', geometry: { points: keypoints } }, shape)
    }
  })
  childrenOf(image, 'ellipse').forEach((shape, i) => {
    const at = `${where}/ellipse[${i}]`
    if (!labelled(shape, at)) return
    const [cx, cy, rx, ry] = ['cx', 'cy', 'rx', 'ry'].map((k) =>
      coordinate(file, at, shape, k),
    ) as [number, number, number, number]
    if (rx < 0 || ry < 0) throw new FormatError(file, at, 'ellipse with a negative radius')
    const ellipse = { cx, cy, rx, ry, rotation: Number(attr(shape, 'rotation') ?? 0) || 0 }
    report.count('lossy', 'ellipses became 64-point polygons (an unedited one exports back)', file)
    push(
      {
        ...common(shape),
        kind: 'polygon',
        geometry: { points: ellipseToPolygon(ellipse) },
        extra: { cvatEllipse: ellipse },
      },
      shape,
    )
  })
  childrenOf(image, 'skeleton').forEach((shape, i) => {
    const at = `${where}/skeleton[${i}]`
    if (!labelled(shape, at)) return
    const base = common(shape)
    const names = spec.keypoints.get(base.label) ?? []
    spec.keypoints.set(base.label, names)
    const { geometry, added } = readSkeleton(file, at, shape, names)
    for (const name of added) {
      report.count(
        'unknown-label',
        `skeleton point "${name}" of "${base.label}" is not in <meta>; added`,
        file,
      )
    }
    push({ ...base, kind: 'keypoints', geometry }, shape)
  })
  childrenOf(image, 'mask').forEach((shape, i) => {
    const at = `${where}/mask[${i}]`
    if (!labelled(shape, at)) return
    if (!item.width || !item.height) {
      report.count('missing-size', 'mask on an image without width and height not read', file)
      return
    }
    const rle = (attr(shape, 'rle') ?? '').split(',').map((v) => Number(v.trim()))
    if (rle.some((v) => !Number.isInteger(v) || v < 0))
      throw new FormatError(file, at, 'bad mask rle')
    const [left, top, width, height] = ['left', 'top', 'width', 'height'].map((k) =>
      coordinate(file, at, shape, k),
    ) as [number, number, number, number]
    const geometry = cvatMaskToRle({ rle, left, top, width, height }, item.width, item.height)
    push({ ...common(shape), kind: 'mask', geometry }, shape)
  })
  const read = item.regions.splice(before)
  read.sort((a, b) => position.get(a)! - position.get(b)!)
  item.regions.push(...read)
}
