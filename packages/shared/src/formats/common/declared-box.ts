import type { Box } from '../../geometry/index.ts'
import type { InterchangeRegion } from '../model.ts'

/**
 * How far, in pixels per edge, a box declared by the source file may sit from the region's own
 * bounds and still be used. One pixel covers the usual disagreement between a polygon's bounds
 * and its raster extent (labelme, pycocotools) and COCO's off-by-one crowd boxes; an edited
 * region moves further than that and gets boxes from its geometry again.
 */
export const DECLARED_BOX_TOLERANCE = 1

/**
 * The box a source file declared for a region (COCO `bbox` beside a segmentation, kept in
 * `extra.cocoBbox` on import) when it still agrees with the region's geometry, else `bounds`.
 * Exporters use it so that an unedited region leaves with the box it came with.
 */
export function declaredBox(region: InterchangeRegion, bounds: Box): Box {
  const stored = region.extra?.cocoBbox
  if (
    !Array.isArray(stored) ||
    stored.length !== 4 ||
    !stored.every((v) => typeof v === 'number')
  ) {
    return bounds
  }
  const [x, y, w, h] = stored as [number, number, number, number]
  const close =
    Math.abs(x - bounds.x) <= DECLARED_BOX_TOLERANCE &&
    Math.abs(y - bounds.y) <= DECLARED_BOX_TOLERANCE &&
    Math.abs(x + w - (bounds.x + bounds.w)) <= DECLARED_BOX_TOLERANCE &&
    Math.abs(y + h - (bounds.y + bounds.h)) <= DECLARED_BOX_TOLERANCE
  return close ? { x, y, w, h } : bounds
}
