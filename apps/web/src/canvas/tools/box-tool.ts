import { boxFromCorners, clampToImage } from '../geometry-edit.ts'
import type { Point } from '../view-transform.ts'
import { stay, type Tool } from './types.ts'

export type BoxToolState = { phase: 'idle' } | { phase: 'dragging'; anchor: Point; corner: Point }

/**
 * Press at one corner, drag to the opposite one, release. A box smaller than the hit tolerance
 * is taken as a stray click and dropped.
 */
export const boxTool: Tool<BoxToolState> = {
  name: 'box',
  initial: { phase: 'idle' },
  down(_state, input, ctx) {
    const anchor = clampToImage(input.point, ctx.imageSize)
    return stay({ phase: 'dragging', anchor, corner: anchor })
  },
  move(state, input, ctx) {
    if (state.phase !== 'dragging') return stay(state)
    return stay({ ...state, corner: clampToImage(input.point, ctx.imageSize) })
  },
  up(state, input, ctx) {
    if (state.phase !== 'dragging') return stay(state)
    const geometry = boxFromCorners(state.anchor, clampToImage(input.point, ctx.imageSize))
    const minSide = ctx.tolerance / 2
    if (geometry.w < minSide || geometry.h < minSide) return stay(boxTool.initial)
    return {
      state: boxTool.initial,
      effects: [{ type: 'create', shape: { kind: 'bbox', geometry } }],
    }
  },
  finish: (state) => stay(state),
  cancel(state) {
    return { ...stay(boxTool.initial), handled: state.phase === 'dragging' }
  },
  draft(state) {
    return state.phase === 'dragging'
      ? { kind: 'bbox', geometry: boxFromCorners(state.anchor, state.corner) }
      : null
  },
}
