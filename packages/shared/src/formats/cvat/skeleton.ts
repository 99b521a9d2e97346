import type { KeypointsGeometry } from '../../domain/region.ts'
import { FormatError, type InterchangeLabel } from '../model.ts'
import { childrenOf, formatCoordinate, type XmlNode } from '../voc/xml.ts'

/**
 * CVAT skeletons. A skeleton label is declared in `<meta>` with `<type>skeleton</type>` and an
 * `<svg>` drawing of its nodes and edges (escaped text); each of its points is a sublabel, a
 * `<label>` of `<type>points</type>` with `<parent>` naming the skeleton. On an image a
 * `<skeleton>` holds one `<points>` element per sublabel, with `outside` and `occluded`.
 * Concord holds the same as a `keypoints` region whose label lists the keypoint names.
 */

type Keypoint = KeypointsGeometry['points'][number]

/** Keypoint names of each skeleton label, in their declared order, by label name. */
export type KeypointNames = Map<string, string[]>

/**
 * Skeleton edges from a skeleton label's svg, as 1-based pairs into `names` (COCO's form). A
 * node is named by its `data-label-name`, or else by its `data-node-id`-th sublabel.
 */
export function readSkeletonEdges(svg: string, names: readonly string[]): [number, number][] {
  const nameOfNode = new Map<string, string>()
  for (const [circle] of svg.matchAll(/<circle\b[^>]*>/g)) {
    const node = dataOf(circle, 'node-id')
    const name = dataOf(circle, 'label-name') ?? names[Number(node) - 1]
    if (node !== undefined && name !== undefined) nameOfNode.set(node, name)
  }
  const edges: [number, number][] = []
  for (const [line] of svg.matchAll(/<line\b[^>]*>/g)) {
    const from = names.indexOf(nameOfNode.get(dataOf(line, 'node-from') ?? '') ?? '')
    const to = names.indexOf(nameOfNode.get(dataOf(line, 'node-to') ?? '') ?? '')
    if (from >= 0 && to >= 0) edges.push([from + 1, to + 1])
  }
  return edges
}

function dataOf(tag: string, name: string): string | undefined {
  const value = new RegExp(`\\bdata-${name}="([^"]*)"`).exec(tag)?.[1]
  return value
    ?.replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
}

/**
 * Reads one `<skeleton>` into keypoints in the order of the label's names: visible 2,
 * `occluded` 1, `outside` 0; a declared point the skeleton lacks is 0 at the origin. A point
 * named nowhere in `<meta>` is added to the label's names (the caller reports it).
 */
export function readSkeleton(
  file: string,
  where: string,
  shape: XmlNode,
  names: string[],
): { geometry: KeypointsGeometry; added: string[] } {
  const byName = new Map<string, Keypoint>()
  const added: string[] = []
  childrenOf(shape, 'points').forEach((element, i) => {
    const at = `${where}/points[${i}]`
    const name = String(element['@_label'] ?? '')
    const [x, y] = String(element['@_points'] ?? '')
      .split(';')[0]!
      .split(',')
      .map(Number) as [number, number]
    if (!Number.isFinite(x) || !Number.isFinite(y)) throw new FormatError(file, at, 'bad point')
    const v = element['@_outside'] === '1' ? 0 : element['@_occluded'] === '1' ? 1 : 2
    byName.set(name, { x, y, v })
    if (!names.includes(name)) {
      names.push(name)
      added.push(name)
    }
  })
  const points = names.map((name) => byName.get(name) ?? { x: 0, y: 0, v: 0 as const })
  return { geometry: { points }, added }
}

/** The names a keypoints region can be written under as a skeleton, or undefined if it cannot. */
export function skeletonNamesFor(
  label: InterchangeLabel | undefined,
  points: number,
): string[] | undefined {
  const names = label?.keypoints
  if (!names || names.length !== points || new Set(names).size !== names.length) return undefined
  return names
}

/** One `<skeleton>`: a `<points>` per keypoint, visibility as `outside` and `occluded`. */
export function writeSkeleton(geometry: KeypointsGeometry, names: readonly string[]): XmlNode {
  return {
    points: geometry.points.map((p, i) => ({
      '@_label': names[i]!,
      '@_source': 'manual',
      '@_outside': p.v === 0 ? 1 : 0,
      '@_occluded': p.v === 1 ? 1 : 0,
      '@_points': `${formatCoordinate(p.x)},${formatCoordinate(p.y)}`,
    })),
  }
}

/**
 * The `<svg>` CVAT draws a skeleton label with: its nodes on a circle in a 100 x 100 box (where
 * they sit matters only to CVAT's label editor) and its edges between them.
 */
export function writeSkeletonSvg(label: InterchangeLabel): string {
  const names = label.keypoints ?? []
  const at = (i: number) => {
    const t = (2 * Math.PI * i) / Math.max(names.length, 1)
    return [50 + 40 * Math.cos(t), 50 + 40 * Math.sin(t)].map(formatCoordinate)
  }
  const lines = (label.skeleton ?? []).flatMap(([a, b]) => {
    if (!names[a - 1] || !names[b - 1]) return []
    const [x1, y1] = at(a - 1)
    const [x2, y2] = at(b - 1)
    return [
      `<line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" stroke="black" data-type="edge" data-node-from="${a}" data-node-to="${b}" stroke-width="0.5"></line>`,
    ]
  })
  const circles = names.map((name, i) => {
    const [cx, cy] = at(i)
    return `<circle r="1.5" stroke="black" fill="#b3b3b3" cx="${cx}" cy="${cy}" stroke-width="0.1" data-type="element node" data-element-id="${i + 1}" data-node-id="${i + 1}" data-label-name="${escapeAttribute(name)}"></circle>`
  })
  return [...lines, ...circles].join('')
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;')
}
