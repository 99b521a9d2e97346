import type { KeypointsGeometry } from '../../domain/region.ts'
import { boundsOfPoints, clipBbox, type Box } from '../../geometry/index.ts'
import { DECLARED_BOX_TOLERANCE, declaredBox } from '../common/declared-box.ts'
import type { ReportBuilder } from '../common/report.ts'
import { FormatError, type InterchangeDataset, type InterchangeRegion } from '../model.ts'
import { clampUnit, formatBbox, formatMillionths, toMillionths } from './lines.ts'
import type { ClampCounter, RawLine } from './lines.ts'

/**
 * How far past the image edge, in pixels, a labelled keypoint may lie and still be written
 * (clamped onto the edge): the sub-pixel overshoot tools leave when a point is put on the edge.
 * A point further out is not in the picture, so it is written as not labelled.
 */
const KEYPOINT_EDGE_SLACK = 1

/** `[K, D]` of Ultralytics' `kpt_shape`: K keypoints per object, D = 2 (x y) or 3 (x y v). */
export type KeypointShape = [number, number]

/**
 * The K of `kpt_shape` for a pose export. Ultralytics has one K for the whole dataset, so it is
 * the largest of every label's declared keypoint names and every keypoints region's point
 * count; shorter regions are padded with points that are not labelled.
 */
export function keypointCount(dataset: InterchangeDataset): number {
  let k = 0
  for (const label of dataset.labels) k = Math.max(k, label.keypoints?.length ?? 0)
  for (const item of dataset.items) {
    for (const region of item.regions) {
      if (region.kind === 'keypoints') k = Math.max(k, region.geometry.points.length)
    }
  }
  return k
}

/**
 * One pose line after the class: `cx cy w h` then K times `x y v`, normalised, visibility as
 * COCO's 0/1/2. The box is the object's (`given`, its grouped box) when it has one, else the
 * declared one when it still fits, else the bounds of the labelled points. Points that are not labelled are written `0 0 0`. Returns undefined (and counts it)
 * when no labelled point lies in the image.
 */
export function poseValues(
  region: Extract<InterchangeRegion, { kind: 'keypoints' }>,
  k: number,
  width: number,
  height: number,
  report: ReportBuilder,
  given?: Box,
): string[] | undefined {
  const inImage = (v: number, extent: number) =>
    v >= -KEYPOINT_EDGE_SLACK && v <= extent + KEYPOINT_EDGE_SLACK
  const points = region.geometry.points.map((p) => {
    if (p.v === 0) return p
    if (inImage(p.x, width) && inImage(p.y, height)) {
      return { x: clampTo(p.x, width), y: clampTo(p.y, height), v: p.v }
    }
    report.count('clipped', 'keypoints outside the image written as not labelled')
    return { x: 0, y: 0, v: 0 as const }
  })
  const labelled = points.filter((p) => p.v > 0)
  if (labelled.length === 0) {
    report.count('skipped', 'keypoints with no labelled point in the image not written')
    return undefined
  }
  const bounds = boundsOfPoints(labelled.map((p): [number, number] => [p.x, p.y]))
  const box: Box = clipBbox(given ?? declaredBox(region, bounds), width, height).box
  const values = formatBbox(box, width, height)
  for (let i = 0; i < k; i++) {
    const p = points[i]
    if (!p || p.v === 0) {
      values.push('0', '0', '0')
      continue
    }
    values.push(
      formatMillionths(toMillionths(p.x / width)),
      formatMillionths(toMillionths(p.y / height)),
      String(p.v),
    )
  }
  return values
}

/** Reads `kpt_shape` from data.yaml; refuses anything but two positive integers, D of 2 or 3. */
export function readKeypointShape(file: string, value: unknown): KeypointShape | undefined {
  if (value === undefined || value === null) return undefined
  const ok =
    Array.isArray(value) &&
    value.length === 2 &&
    Number.isInteger(value[0]) &&
    value[0] >= 0 &&
    (value[1] === 2 || value[1] === 3)
  if (!ok) {
    throw new FormatError(file, 'kpt_shape', 'expected [K, 2] or [K, 3] with K a whole number')
  }
  return [value[0] as number, value[1] as number]
}

/**
 * The keypoints of a pose line (values after the class, a trailing score already removed) in
 * pixels. The line's box is returned too, so the caller can say when a box wider than the
 * points is dropped: a keypoints region carries no box.
 */
export function lineToKeypoints(
  raw: RawLine,
  shape: KeypointShape,
  width: number,
  height: number,
  counter: ClampCounter,
): { geometry: KeypointsGeometry; box: Box } {
  const [k, d] = shape
  const where = `line ${raw.line}`
  if (raw.values.length !== 4 + k * d) {
    throw new FormatError(
      raw.file,
      where,
      `a pose line has 4 box values and ${k}x${d} keypoint values, found ${raw.values.length}`,
    )
  }
  const [cx, cy, w, h] = raw.values as [number, number, number, number]
  const box = { x: (cx - w / 2) * width, y: (cy - h / 2) * height, w: w * width, h: h * height }
  const points: KeypointsGeometry['points'] = []
  for (let i = 0; i < k; i++) {
    const at = 4 + i * d
    const x = raw.values[at]!
    const y = raw.values[at + 1]!
    // Without a visibility column Ultralytics takes a point at the origin for a missing one.
    const v = d === 3 ? raw.values[at + 2]! : x === 0 && y === 0 ? 0 : 2
    if (v !== 0 && v !== 1 && v !== 2) {
      throw new FormatError(raw.file, where, `keypoint ${i + 1} visibility ${v} is not 0, 1 or 2`)
    }
    // A point that is not labelled keeps its written place, as COCO does.
    const px = v === 0 ? x * width : clampUnit(x, raw, counter) * width
    const py = v === 0 ? y * height : clampUnit(y, raw, counter) * height
    points.push({ x: px, y: py, v })
  }
  return { geometry: { points }, box }
}

/**
 * A pose line as a keypoints region. One value past `4 + K x D` is a confidence (save_conf).
 * The line's box is returned too when it is wider than the labelled points by more than a
 * pixel (a person box around a few points), for the caller to keep as a box of the object;
 * a box that only bounds the points is the keypoints' own and comes back undefined.
 */
export function poseRegion(
  line: RawLine,
  size: { width: number; height: number },
  pose: KeypointShape | 'infer',
  counter: ClampCounter,
): Pick<
  Extract<InterchangeRegion, { kind: 'keypoints' }>,
  'kind' | 'geometry' | 'score' | 'source'
> & { box: Box | undefined } {
  const n = line.values.length
  const shape: KeypointShape = pose === 'infer' ? [Math.floor((n - 4) / 3), 3] : pose
  const scored = n === 5 + shape[0] * shape[1]
  const raw = scored ? { ...line, values: line.values.slice(0, -1) } : line
  const { geometry, box } = lineToKeypoints(raw, shape, size.width, size.height, counter)
  const labelled = geometry.points.filter((p) => p.v > 0).map((p): [number, number] => [p.x, p.y])
  const bounds = boundsOfPoints(labelled)
  const wider =
    labelled.length === 0 ||
    bounds.x - box.x > DECLARED_BOX_TOLERANCE ||
    bounds.y - box.y > DECLARED_BOX_TOLERANCE ||
    box.x + box.w - (bounds.x + bounds.w) > DECLARED_BOX_TOLERANCE ||
    box.y + box.h - (bounds.y + bounds.h) > DECLARED_BOX_TOLERANCE
  const score = scored ? { score: line.values[n - 1]!, source: 'model' as const } : {}
  return {
    kind: 'keypoints',
    geometry,
    ...score,
    box: wider && box.w > 0 && box.h > 0 ? box : undefined,
  }
}

function clampTo(value: number, max: number): number {
  return value < 0 ? 0 : value > max ? max : value
}
