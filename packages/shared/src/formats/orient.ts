import {
  orientAngle,
  orientPoint,
  orientRle,
  type Orientation,
  type Point,
} from '../geometry/index.ts'
import type { InterchangeRegion } from './model.ts'

/**
 * A region written against the stored pixels of a photo whose EXIF orientation turns or mirrors
 * it (LabelImg and older tools ignore EXIF), moved to the displayed image the workspace uses.
 * `width` and `height` are the stored size, the one the file declared. A mask of another size
 * than that is left as it is; a box a COCO file declared beside its shape moves with it.
 */
export function orientRegion(
  region: InterchangeRegion,
  orientation: Orientation,
  width: number,
  height: number,
): InterchangeRegion {
  const point = (p: Point) => orientPoint(orientation, width, height, p)
  const ring = (points: Point[]) => points.map(point)
  const box = ([x, y, w, h]: [number, number, number, number]) => {
    const [ax, ay] = point([x, y])
    const [bx, by] = point([x + w, y + h])
    return [Math.min(ax, bx), Math.min(ay, by), Math.abs(bx - ax), Math.abs(by - ay)] as const
  }
  const declared = region.extra?.cocoBbox
  const extra =
    Array.isArray(declared) && declared.length === 4
      ? {
          extra: {
            ...region.extra,
            cocoBbox: [...box(declared as [number, number, number, number])],
          },
        }
      : {}
  switch (region.kind) {
    case 'bbox': {
      const { x, y, w, h } = region.geometry
      const [bx, by, bw, bh] = box([x, y, w, h])
      return { ...region, ...extra, geometry: { x: bx, y: by, w: bw, h: bh } }
    }
    case 'rbox': {
      const g = region.geometry
      const [cx, cy] = point([g.cx, g.cy])
      return { ...region, geometry: { ...g, cx, cy, angle: orientAngle(orientation, g.angle) } }
    }
    case 'polygon': {
      const g = region.geometry
      return {
        ...region,
        ...extra,
        geometry: {
          points: ring(g.points),
          ...(g.holes ? { holes: g.holes.map(ring) } : {}),
          ...(g.parts ? { parts: g.parts.map(ring) } : {}),
        },
      }
    }
    case 'polyline':
      return { ...region, geometry: { points: ring(region.geometry.points) } }
    case 'point': {
      const [x, y] = point([region.geometry.x, region.geometry.y])
      return { ...region, geometry: { x, y } }
    }
    case 'keypoints':
      return {
        ...region,
        ...extra,
        geometry: {
          // A point that is not labelled has no place to move.
          points: region.geometry.points.map((p) => {
            if (p.v === 0) return p
            const [x, y] = point([p.x, p.y])
            return { x, y, v: p.v }
          }),
        },
      }
    case 'mask': {
      const g = region.geometry
      if (g.width !== width || g.height !== height) return region
      return { ...region, ...extra, geometry: orientRle(orientation, g) }
    }
  }
}
