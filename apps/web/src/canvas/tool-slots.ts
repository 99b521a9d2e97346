import { boxTool } from './tools/box-tool.ts'
import { pointTool } from './tools/point-tool.ts'
import { polygonTool } from './tools/polygon-tool.ts'
import { selectTool } from './tools/select-tool.ts'
import type { Draft, PointerInput, Tool, ToolContext, ToolEffect, ToolName } from './tools/types.ts'

/** One tool with its current state; hides the state's type from the editor. */
class Slot<S> {
  state: S
  constructor(readonly tool: Tool<S>) {
    this.state = tool.initial
  }
  run(step: { state: S; effects: ToolEffect[] }): ToolEffect[] {
    this.state = step.state
    return step.effects
  }
}

/** Holds every tool's state machine and routes input to the active one. */
export class ToolSlots {
  active: ToolName = 'select'
  private readonly slots = {
    select: new Slot(selectTool),
    box: new Slot(boxTool),
    polygon: new Slot(polygonTool),
    point: new Slot(pointTool),
  }

  down(input: PointerInput, ctx: ToolContext): ToolEffect[] {
    return this.with((s) => s.run(s.tool.down(s.state, input, ctx)))
  }

  move(input: PointerInput, ctx: ToolContext): ToolEffect[] {
    return this.with((s) => s.run(s.tool.move(s.state, input, ctx)))
  }

  up(input: PointerInput, ctx: ToolContext): ToolEffect[] {
    return this.with((s) => s.run(s.tool.up(s.state, input, ctx)))
  }

  finish(ctx: ToolContext): ToolEffect[] {
    return this.with((s) => s.run(s.tool.finish(s.state, ctx)))
  }

  cancel(ctx: ToolContext): { effects: ToolEffect[]; handled: boolean } {
    return this.with((s) => {
      const step = s.tool.cancel(s.state, ctx)
      return { effects: s.run(step), handled: step.handled }
    })
  }

  draft(): Draft | null {
    return this.with((s) => s.tool.draft(s.state))
  }

  // Each slot has its own state type; this generic hop keeps the calls type-safe.
  private with<R>(fn: <S>(slot: Slot<S>) => R): R {
    return fn(this.slots[this.active] as Slot<unknown>)
  }
}
