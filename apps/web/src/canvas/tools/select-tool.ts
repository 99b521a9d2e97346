import type { Region } from '@concord/shared'
import {
  insertVertex,
  moveVertex,
  pickHandle,
  removeVertex,
  resizeBox,
  translateGeometry,
  type Handle,
} from '../geometry-edit.ts'
import { pickRegion } from '../hit-test.ts'
import type { Point } from '../view-transform.ts'
import { stay, type PointerInput, type Tool, type ToolEffect } from './types.ts'

/** What a press grabbed: the whole region, or one handle of it. */
type Grab = { kind: 'body' } | { kind: 'handle'; handle: Handle }

export type SelectToolState =
  | { phase: 'idle' }
  | {
      phase: 'pressing'
      region: Region
      grab: Grab
      start: Point
      moved: boolean
      last: Region['geometry']
    }

const IDLE: SelectToolState = { phase: 'idle' }

/**
 * Click selects (Shift adds or removes), dragging moves the region or the grabbed handle:
 * a box grip resizes, a vertex moves, an edge midpoint inserts a vertex there and drags it,
 * Alt+click on a vertex deletes it.
 */
export const selectTool: Tool<SelectToolState> = {
  name: 'select',
  initial: IDLE,
  down(_state, input, ctx) {
    const selected =
      ctx.selection.length === 1 ? ctx.regions.get(ctx.selection[0] ?? '') : undefined
    const handle = selected ? pickHandle(selected, input.point, ctx.tolerance) : null
    if (selected && handle) return pressHandle(selected, handle, input)

    const hit = pickRegion(ctx.regions.values(), input.point, ctx.tolerance)
    if (!hit) return { state: IDLE, effects: input.shift ? [] : [{ type: 'select', ids: [] }] }
    if (input.shift) {
      const ids = ctx.selection.includes(hit.id)
        ? ctx.selection.filter((id) => id !== hit.id)
        : [...ctx.selection, hit.id]
      return { state: IDLE, effects: [{ type: 'select', ids }] }
    }
    const effects: ToolEffect[] =
      ctx.selection.includes(hit.id) && ctx.selection.length === 1
        ? []
        : [{ type: 'select', ids: [hit.id] }]
    return {
      state: {
        phase: 'pressing',
        region: hit,
        grab: { kind: 'body' },
        start: input.point,
        moved: false,
        last: hit.geometry,
      },
      effects,
    }
  },
  move(state, input, ctx) {
    if (state.phase !== 'pressing') return stay(state)
    const dx = input.point.x - state.start.x
    const dy = input.point.y - state.start.y
    // Ignore jitter of a click so that selecting never nudges a region.
    if (!state.moved && Math.hypot(dx, dy) < ctx.tolerance / 3) return stay(state)
    const geometry = dragged(state.region, state.grab, input.point, dx, dy)
    return {
      state: { ...state, moved: true, last: geometry },
      effects: [{ type: 'update', id: state.region.id, geometry, phase: 'preview' }],
    }
  },
  up(state) {
    if (state.phase !== 'pressing') return stay(state)
    const changed = state.moved || state.last !== state.region.geometry
    return {
      state: IDLE,
      effects: changed
        ? [{ type: 'update', id: state.region.id, geometry: state.last, phase: 'commit' }]
        : [],
    }
  },
  finish: (state) => stay(state),
  cancel(state) {
    if (state.phase !== 'pressing' || !state.moved)
      return { ...stay(IDLE), handled: state.phase === 'pressing' }
    // Put the region back where the gesture found it.
    return {
      state: IDLE,
      effects: [
        { type: 'update', id: state.region.id, geometry: state.region.geometry, phase: 'commit' },
      ],
      handled: true,
    }
  },
  draft: () => null,
}

function pressHandle(
  region: Region,
  handle: Handle,
  input: PointerInput,
): ReturnType<Tool<SelectToolState>['down']> {
  const polygonal = region.kind === 'polygon' || region.kind === 'polyline'
  if (handle.type === 'vertex' && input.alt && polygonal) {
    const points = removeVertex(
      region.geometry.points,
      handle.index,
      region.kind === 'polygon' ? 3 : 2,
    )
    if (!points) return stay(IDLE)
    const geometry = { ...region.geometry, points }
    return { state: IDLE, effects: [{ type: 'update', id: region.id, geometry, phase: 'commit' }] }
  }
  if (handle.type === 'midpoint' && polygonal) {
    // The new vertex becomes an ordinary vertex handle that this same press drags.
    const points = insertVertex(region.geometry.points, handle.index, handle.at)
    const inserted = { ...region, geometry: { ...region.geometry, points } } as Region
    const grab: Grab = {
      kind: 'handle',
      handle: { type: 'vertex', index: handle.index + 1, at: handle.at },
    }
    return {
      state: {
        phase: 'pressing',
        region: inserted,
        grab,
        start: input.point,
        moved: false,
        last: inserted.geometry,
      },
      effects: [{ type: 'update', id: region.id, geometry: inserted.geometry, phase: 'preview' }],
    }
  }
  return stay({
    phase: 'pressing',
    region,
    grab: { kind: 'handle', handle },
    start: input.point,
    moved: false,
    last: region.geometry,
  })
}

function dragged(region: Region, grab: Grab, p: Point, dx: number, dy: number): Region['geometry'] {
  if (grab.kind === 'body') return translateGeometry(region, dx, dy)
  const handle = grab.handle
  if (handle.type === 'box' && region.kind === 'bbox')
    return resizeBox(region.geometry, handle.handle, p)
  if (handle.type === 'vertex' && (region.kind === 'polygon' || region.kind === 'polyline')) {
    return { ...region.geometry, points: moveVertex(region.geometry.points, handle.index, p) }
  }
  return region.geometry
}
