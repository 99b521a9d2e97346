import { clampToImage } from '../geometry-edit.ts'
import type { Point } from '../view-transform.ts'
import { stay, type Tool, type ToolContext, type ToolStep } from './types.ts'

export type PolygonToolState = { points: [number, number][]; cursor: Point | null }

const EMPTY: PolygonToolState = { points: [], cursor: null }

/**
 * Click vertices; clicking the first vertex again (or Enter) closes the polygon once it has
 * three, Escape drops it.
 */
export const polygonTool: Tool<PolygonToolState> = {
  name: 'polygon',
  initial: EMPTY,
  down(state, input, ctx) {
    if (closesOnFirst(state, input.point, ctx)) return close(state)
    const { x, y } = clampToImage(input.point, ctx.imageSize)
    const last = state.points[state.points.length - 1]
    // A double click lands twice on the same spot; one vertex is meant.
    if (last && Math.hypot(last[0] - x, last[1] - y) < ctx.tolerance / 4) return stay(state)
    return stay({ points: [...state.points, [x, y]], cursor: { x, y } })
  },
  move(state, input, ctx) {
    if (state.points.length === 0) return stay(state)
    return stay({ ...state, cursor: clampToImage(input.point, ctx.imageSize) })
  },
  up: (state) => stay(state),
  finish: (state) => close(state),
  cancel(state) {
    return { ...stay(EMPTY), handled: state.points.length > 0 }
  },
  draft(state) {
    if (state.points.length === 0) return null
    return {
      kind: 'polygon',
      points: state.points,
      cursor: state.cursor,
      closable: state.points.length >= 3,
    }
  },
}

function closesOnFirst(state: PolygonToolState, p: Point, ctx: ToolContext): boolean {
  const first = state.points[0]
  return (
    state.points.length >= 3 &&
    !!first &&
    Math.hypot(first[0] - p.x, first[1] - p.y) <= ctx.tolerance
  )
}

function close(state: PolygonToolState): ToolStep<PolygonToolState> {
  if (state.points.length < 3) return stay(state)
  return {
    state: EMPTY,
    effects: [{ type: 'create', shape: { kind: 'polygon', geometry: { points: state.points } } }],
  }
}
