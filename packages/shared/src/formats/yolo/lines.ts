import type { BboxGeometry, RboxGeometry } from '../../domain/region.ts'
import { FormatError } from '../model.ts'
import { textLines } from '../common/lines.ts'

/**
 * Normalised values this far outside `[0, 1]` are clamped and counted: annotation tools let a
 * box be dragged a little past the edge (1.0004 is common). Anything further is not a rounding
 * slip but a wrong coordinate system (pixels written as normalised), so it is refused.
 */
export const OVERSHOOT_TOLERANCE = 0.01

/** YOLO files carry 6 decimals; Ultralytics writes the same. */
const DECIMALS = 6
const SCALE = 10 ** DECIMALS

/** One label line, split into its class and its normalised numbers. */
export type RawLine = { file: string; line: number; classIndex: number; values: number[] }

/** Splits a label file into lines; blank lines are skipped, anything unparsable is refused. */
export function parseLabelFile(file: string, text: string): RawLine[] {
  const lines: RawLine[] = []
  for (const [content, number] of textLines(text, { skipBlank: true })) {
    const tokens = content.trim().split(/\s+/)
    const where = `line ${number}`
    const numbers = tokens.map(Number)
    if (numbers.some((n) => !Number.isFinite(n))) {
      throw new FormatError(file, where, `not a list of numbers: "${content.trim()}"`)
    }
    const classIndex = numbers[0]!
    if (!Number.isInteger(classIndex) || classIndex < 0) {
      throw new FormatError(file, where, `class index ${tokens[0]} is not a non-negative integer`)
    }
    if (numbers.length < 5) {
      throw new FormatError(file, where, `expected at least 5 values, found ${numbers.length}`)
    }
    lines.push({ file, line: number, classIndex, values: numbers.slice(1) })
  }
  return lines
}

/** Counts clamps while reading one dataset, so the report can say how many there were. */
export type ClampCounter = { clamped: number }

/** Clamps a normalised value to `[0, 1]` within the tolerance, refusing larger overshoots. */
export function clampUnit(value: number, raw: RawLine, counter: ClampCounter): number {
  if (value >= 0 && value <= 1) return value
  if (value < -OVERSHOOT_TOLERANCE || value > 1 + OVERSHOOT_TOLERANCE) {
    throw new FormatError(
      raw.file,
      `line ${raw.line}`,
      `value ${value} lies outside [0, 1]; YOLO coordinates must be normalised to the image size`,
    )
  }
  counter.clamped += 1
  return value < 0 ? 0 : 1
}

/** A `class xc yc w h` line as a pixel box, with its corners clamped into the image. */
export function lineToBbox(
  raw: RawLine,
  width: number,
  height: number,
  counter: ClampCounter,
): BboxGeometry {
  const [xc, yc, w, h] = raw.values as [number, number, number, number]
  if (w < 0 || h < 0) {
    throw new FormatError(raw.file, `line ${raw.line}`, 'negative box width or height')
  }
  // Clamping corners, not the centre and size, keeps the edge that lies inside where it is.
  const x1 = clampUnit(xc - w / 2, raw, counter)
  const y1 = clampUnit(yc - h / 2, raw, counter)
  const x2 = clampUnit(xc + w / 2, raw, counter)
  const y2 = clampUnit(yc + h / 2, raw, counter)
  return { x: x1 * width, y: y1 * height, w: (x2 - x1) * width, h: (y2 - y1) * height }
}

/** The points of a `class x1 y1 x2 y2 ...` line in pixels, clamped into the image. */
export function lineToPoints(
  raw: RawLine,
  width: number,
  height: number,
  counter: ClampCounter,
): [number, number][] {
  const values = raw.values
  if (values.length % 2 !== 0) {
    throw new FormatError(raw.file, `line ${raw.line}`, `odd number of coordinates`)
  }
  const points: [number, number][] = []
  for (let i = 0; i < values.length; i += 2) {
    points.push([
      clampUnit(values[i]!, raw, counter) * width,
      clampUnit(values[i + 1]!, raw, counter) * height,
    ])
  }
  return points
}

type Pt = [number, number]

/**
 * A rotated box from four corners in pixels, in the order top-left, top-right, bottom-right,
 * bottom-left of the unrotated box (what Ultralytics writes). Width runs along the first edge,
 * the angle is that edge's direction, clockwise on screen. A quadrilateral that is not quite a
 * rectangle is fitted by averaging opposite edges.
 */
export function cornersToRbox(corners: readonly Pt[]): RboxGeometry {
  const [p1, p2, p3, p4] = corners as [Pt, Pt, Pt, Pt]
  const cx = (p1[0] + p2[0] + p3[0] + p4[0]) / 4
  const cy = (p1[1] + p2[1] + p3[1] + p4[1]) / 4
  const w = (distance(p1, p2) + distance(p4, p3)) / 2
  const h = (distance(p2, p3) + distance(p1, p4)) / 2
  // Direction of the width edges, from all four edges: the height edges turned back by 90°
  // count too, so a thin box's short edges do not decide its angle alone.
  const ux = p2[0] - p1[0] + (p3[0] - p4[0]) + (p3[1] - p2[1]) + (p4[1] - p1[1])
  const uy = p2[1] - p1[1] + (p3[1] - p4[1]) - (p3[0] - p2[0]) - (p4[0] - p1[0])
  const angle = ux === 0 && uy === 0 ? 0 : (Math.atan2(uy, ux) * 180) / Math.PI
  return { cx, cy, w, h, angle }
}

/**
 * Whether four pixel corners form a rectangle: diagonals that bisect each other and are equally
 * long. The tolerance absorbs 6-decimal rounding on images up to ~100k px.
 */
export function isRectangle(corners: readonly Pt[]): boolean {
  const [p1, p2, p3, p4] = corners as [Pt, Pt, Pt, Pt]
  const d1 = distance(p1, p3)
  const d2 = distance(p2, p4)
  const tolerance = 0.5 + 0.005 * Math.max(d1, d2)
  const midGap = distance(
    [(p1[0] + p3[0]) / 2, (p1[1] + p3[1]) / 2],
    [(p2[0] + p4[0]) / 2, (p2[1] + p4[1]) / 2],
  )
  return midGap <= tolerance && Math.abs(d1 - d2) <= tolerance && d1 > 0
}

function distance(a: Pt, b: Pt): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1])
}

/**
 * Rounds to 6 decimals (never truncates) inside `[0, 1]`, as an integer count of millionths,
 * exactly as Python's `f"{value:.6f}"` does, which the tools that write YOLO use: the exact binary
 * value is rounded, a tie to the even neighbour. `toFixed` rounds the exact value too but sends
 * a tie up; at 6 decimals a double ties only when it is an odd multiple of 1/128 (0.2890625 is
 * 37/128), which `value * 128` (exact, a power of two) shows.
 */
export function toMillionths(value: number): number {
  if (!(value > 0)) return 0
  if (value >= 1) return SCALE
  const n = Number(value.toFixed(DECIMALS).replace('.', ''))
  const tie = Number.isInteger(value * 128) && (value * 128) % 2 === 1
  return tie && n % 2 === 1 ? n - 1 : n
}

/** Writes millionths as a fixed 6-decimal string. */
export function formatMillionths(n: number): string {
  return (n / SCALE).toFixed(DECIMALS)
}

/**
 * A pixel box (already clipped to the image) as `xc yc w h` strings. Centre and size are rounded
 * from the exact values, then the size is trimmed by a millionth where rounding would push an
 * edge past 0 or 1, so no written box leaves the image.
 */
export function formatBbox(box: BboxGeometry, width: number, height: number): string[] {
  const axis = (start: number, size: number, extent: number): [string, string] => {
    const c = toMillionths((start + size / 2) / extent)
    let s = toMillionths(size / extent)
    // Edges in millionths are c - s/2 and c + s/2; keep both inside [0, SCALE].
    s = Math.min(s, 2 * c, 2 * (SCALE - c))
    return [formatMillionths(c), formatMillionths(s)]
  }
  const [xc, w] = axis(box.x, box.w, width)
  const [yc, h] = axis(box.y, box.h, height)
  return [xc, yc, w, h]
}

/** Pixel points (already inside the image) as normalised `x y` strings. */
export function formatPoints(points: readonly Pt[], width: number, height: number): string[] {
  return points.flatMap(([x, y]) => [
    formatMillionths(toMillionths(x / width)),
    formatMillionths(toMillionths(y / height)),
  ])
}
