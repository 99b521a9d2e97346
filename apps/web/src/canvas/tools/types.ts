import type { BboxGeometry, PointGeometry, PolygonGeometry, Region } from '@concord/shared'
import type { Point, Size } from '../view-transform.ts'

export type ToolName = 'select' | 'box' | 'polygon' | 'point'

export const TOOL_NAMES: readonly ToolName[] = ['select', 'box', 'polygon', 'point']

/** A pointer event already translated into image pixels. */
export type PointerInput = { point: Point; alt: boolean; shift: boolean }

/** What a tool may read about the scene; it never touches the document itself. */
export type ToolContext = {
  regions: ReadonlyMap<string, Region>
  selection: readonly string[]
  /** How far, in image pixels, a pointer may miss a thin shape or a handle and still hit it. */
  tolerance: number
  imageSize: Size
}

/** A shape a drawing tool finished, still without a label (the editor adds the active one). */
export type NewShape =
  | { kind: 'bbox'; geometry: BboxGeometry }
  | { kind: 'polygon'; geometry: PolygonGeometry }
  | { kind: 'point'; geometry: PointGeometry }

/**
 * What a tool asks the editor to do. `preview` updates happen during a drag and may be
 * throttled; `commit` ends the gesture and is written at once.
 */
export type ToolEffect =
  | { type: 'create'; shape: NewShape }
  | { type: 'update'; id: string; geometry: Region['geometry']; phase: 'preview' | 'commit' }
  | { type: 'select'; ids: string[] }

/** The shape being drawn, for the overlay; never in the document until it is finished. */
export type Draft =
  | { kind: 'bbox'; geometry: BboxGeometry }
  | { kind: 'polygon'; points: [number, number][]; cursor: Point | null; closable: boolean }

export type ToolStep<S> = { state: S; effects: ToolEffect[] }

/**
 * A tool is a small state machine over pointer and key input. It is pure: every call returns
 * the next state and the effects to apply, so tools are tested without a canvas or a document.
 */
export interface Tool<S> {
  readonly name: ToolName
  readonly initial: S
  down(state: S, input: PointerInput, ctx: ToolContext): ToolStep<S>
  move(state: S, input: PointerInput, ctx: ToolContext): ToolStep<S>
  up(state: S, input: PointerInput, ctx: ToolContext): ToolStep<S>
  /** Enter: finish what is being drawn. */
  finish(state: S, ctx: ToolContext): ToolStep<S>
  /** Escape: drop the gesture in progress; `handled` is false when there was none. */
  cancel(state: S, ctx: ToolContext): ToolStep<S> & { handled: boolean }
  draft(state: S): Draft | null
}

export function stay<S>(state: S): ToolStep<S> {
  return { state, effects: [] }
}
