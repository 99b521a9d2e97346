import { clampToImage } from '../geometry-edit.ts'
import { stay, type Tool } from './types.ts'

/** One click, one point. */
export const pointTool: Tool<null> = {
  name: 'point',
  initial: null,
  down(state, input, ctx) {
    const { x, y } = clampToImage(input.point, ctx.imageSize)
    return { state, effects: [{ type: 'create', shape: { kind: 'point', geometry: { x, y } } }] }
  },
  move: (state) => stay(state),
  up: (state) => stay(state),
  finish: (state) => stay(state),
  cancel: (state) => ({ ...stay(state), handled: false }),
  draft: () => null,
}
