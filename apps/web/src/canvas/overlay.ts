import type { Region } from '@concord/shared'
import { Graphics } from 'pixi.js'
import { handlesOf } from './geometry-edit.ts'
import { traceRegion } from './region-batches.ts'
import type { Draft } from './tools/types.ts'

/** Colour of one's own selection and of shapes being drawn. */
const SELECTION_COLOUR = '#ffd400'

/** Handle size in screen pixels; the overlay divides by the zoom to keep it constant. */
export const HANDLE_SCREEN_PX = 8

export type OverlayInput = {
  scale: number
  selected: Region[]
  /** Show grips only when exactly one region is selected and the select tool is active. */
  showHandles: boolean
  draft: Draft | null
  remoteSelections: { colour: string; regions: Region[] }[]
  pointRadius: number
}

/**
 * Everything drawn over the regions that changes with interaction: selection outlines and
 * grips, the shape being drawn, colleagues' selections. It is small, so it is redrawn whole
 * whenever any of that (or the zoom, which sizes the grips) changes.
 */
export function drawOverlay(g: Graphics, o: OverlayInput): void {
  g.clear()
  const line = 2 / o.scale

  for (const remote of o.remoteSelections) {
    for (const region of remote.regions) traceRegion(g, region, o.pointRadius)
    if (remote.regions.length > 0)
      g.stroke({ color: remote.colour, width: 3 / o.scale, alpha: 0.9 })
  }

  for (const region of o.selected) traceRegion(g, region, o.pointRadius)
  if (o.selected.length > 0) {
    g.fill({ color: SELECTION_COLOUR, alpha: 0.15 })
    g.stroke({ color: SELECTION_COLOUR, width: line })
  }

  const only = o.selected.length === 1 ? o.selected[0] : undefined
  if (o.showHandles && only) {
    const size = HANDLE_SCREEN_PX / o.scale
    for (const handle of handlesOf(only)) {
      if (handle.type === 'midpoint') {
        g.circle(handle.at.x, handle.at.y, size / 3)
      } else {
        g.rect(handle.at.x - size / 2, handle.at.y - size / 2, size, size)
      }
    }
    g.fill({ color: '#ffffff' })
    g.stroke({ color: '#1a1a1a', width: 1 / o.scale })
  }

  if (o.draft) drawDraft(g, o.draft, o.scale)
}

function drawDraft(g: Graphics, draft: Draft, scale: number): void {
  if (draft.kind === 'bbox') {
    const { x, y, w, h } = draft.geometry
    g.rect(x, y, w, h)
    g.stroke({ color: SELECTION_COLOUR, width: 2 / scale })
    return
  }
  const path = draft.cursor ? [...draft.points, [draft.cursor.x, draft.cursor.y]] : draft.points
  g.poly(path.flat(), false)
  g.stroke({ color: SELECTION_COLOUR, width: 2 / scale })
  const first = draft.points[0]
  if (first) {
    // The first vertex is where a click closes the polygon; make it a visible target.
    g.circle(first[0], first[1], (draft.closable ? 6 : 4) / scale)
    g.fill({ color: draft.closable ? SELECTION_COLOUR : '#ffffff' })
  }
}
