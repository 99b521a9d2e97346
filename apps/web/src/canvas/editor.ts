import type { Label, Region } from '@concord/shared'
import type { DocumentSession } from '../sync/document-session.ts'
import { readClipboard, writeClipboard } from './clipboard.ts'
import { boundsOf, centreOf } from './hit-test.ts'
import { drawOverlay, HANDLE_SCREEN_PX } from './overlay.ts'
import { Presence, type PresenceState } from './presence.ts'
import { UNKNOWN_LABEL_COLOUR } from './region-batches.ts'
import { labelForDrawing, relabelRefusal } from './label-rules.ts'
import { cycleId, labelForHotkey, labelForKind, RegionEdits } from './region-edits.ts'
import { RegionStore, type RegionChange } from './region-store.ts'
import { RenderProbe } from './render-probe.ts'
import { Scene } from './scene.ts'
import { ToolSlots } from './tool-slots.ts'
import type { NewShape, PointerInput, ToolContext, ToolEffect, ToolName } from './tools/types.ts'
import {
  centreOn,
  fitToViewport,
  zoomAt,
  panBy,
  screenToImage,
  type Point,
  type Size,
  type ViewTransform,
} from './view-transform.ts'

/** What React shows about the editor; a new object whenever any of it changes. */
export type EditorSnapshot = {
  tool: ToolName
  selection: readonly string[]
  activeLabelId: string | null
  regionCount: number
  /** Bumped when regions change, so the region list knows to re-read. */
  regionsVersion: number
  hiddenCount: number
  /** A short message about the last thing refused (a label on a kind it does not allow). */
  notice: { id: number; text: string } | null
}

/** A press may miss a thin shape or a grip by this many screen pixels. */
const HIT_SLOP_PX = 6

/**
 * The annotation editor: owns the scene, the tools, the selection and the view, and turns
 * tool effects and keyboard commands into document edits. React only renders its snapshot
 * and calls its methods.
 */
export class AnnotationEditor {
  readonly store: RegionStore
  private readonly edits: RegionEdits
  readonly presence: Presence
  readonly probe = new RenderProbe()
  private scene: Scene | null = null
  private readonly tools = new ToolSlots()
  private view: ViewTransform = { x: 0, y: 0, scale: 1 }
  private viewport: Size = { width: 1, height: 1 }
  private labels: Label[] = []
  private labelsById = new Map<string, Label>()
  private selection: string[] = []
  private readonly hidden = new Set<string>()
  private activeLabelId: string | null = null
  private regionsVisible = true
  private overlayDirty = true
  private overlayScale = 0
  private pendingPreview: { id: string; geometry: Region['geometry'] } | null = null
  private snapshot: EditorSnapshot
  private readonly listeners = new Set<() => void>()
  private destroyed = false
  private notice: EditorSnapshot['notice'] = null

  constructor(
    private readonly session: DocumentSession,
    private readonly user: { id: string; name: string; color: string },
    readonly imageSize: Size,
  ) {
    this.store = new RegionStore(session.doc)
    this.edits = new RegionEdits(session, user.id)
    this.store.subscribe(this.onRegionsChanged)
    this.presence = new Presence(session.awareness, user, 'select', () => this.markOverlay())
    this.snapshot = this.makeSnapshot(0)
  }

  /** Creates the PixiJS scene inside `host` and shows the image. */
  async mount(host: HTMLElement, imageUrl: string): Promise<void> {
    const scene = await Scene.create(host, () => this.pointRadius(), {
      beforeRender: this.beforeRender,
      afterRender: this.afterRender,
    })
    if (this.destroyed) {
      scene.destroy()
      return
    }
    this.scene = scene
    host.append(this.presence.layer)
    for (const id of this.store.regions.keys()) this.placeRegion(id)
    this.resize({ width: host.clientWidth, height: host.clientHeight })
    this.fit()
    await scene.setImage(imageUrl)
  }

  // --- React side -------------------------------------------------------------------------

  getSnapshot = (): EditorSnapshot => this.snapshot

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  setLabels(labels: Label[]): void {
    this.labels = labels
    this.labelsById = new Map(labels.map((l) => [l.id, l]))
    if (!this.activeLabelId || !this.labelsById.has(this.activeLabelId))
      this.activeLabelId = labels[0]?.id ?? null
    for (const id of this.store.regions.keys()) this.placeRegion(id)
    this.scene?.requestRender()
    this.emit()
  }

  labelColour(labelId: string): string {
    return this.labelsById.get(labelId)?.color ?? UNKNOWN_LABEL_COLOUR
  }

  setTool(tool: ToolName): void {
    this.tools.cancel(this.toolContext())
    // A shape left selected would be relabelled by the next digit key, meant for the next shape.
    if (tool !== 'select' && this.selection.length > 0) this.select([])
    this.tools.active = tool
    this.presence.setTool(tool)
    this.markOverlay()
    this.emit()
  }

  /**
   * Picks the label for the next shape and relabels the selection, as digit keys do; when the
   * label does not allow a selected region's kind nothing changes and a notice says why.
   */
  chooseLabel(labelId: string): void {
    const label = this.labelsById.get(labelId)
    const selected = this.selectedRegions()
    const kinds = selected.map((r) => r.kind)
    const refusal = label ? relabelRefusal(label, kinds) : null
    if (refusal) return this.notify(refusal)
    this.activeLabelId = labelId
    const ids = selected.map((r) => r.id)
    this.edits.relabel(ids, labelId)
    this.emit()
  }

  select(ids: string[]): void {
    this.selection = ids
    this.presence.setSelection(ids)
    this.markOverlay()
    this.emit()
  }

  /** Selects a region and moves the view so that it is in the middle. */
  focusRegion(id: string): void {
    const region = this.store.regions.get(id)
    const bounds = region ? boundsOf(region) : null
    this.select([id])
    if (bounds) this.setView(centreOn(this.view, centreOf(bounds), this.viewport))
  }

  /** Shows or hides the whole region layer; the selection overlay stays. */
  setRegionsVisible(visible: boolean): void {
    this.regionsVisible = visible
    this.scene?.batches.setVisible(visible)
    this.scene?.requestRender()
  }

  /** The current view (screen px = image px × scale + offset), for tests and tools outside. */
  get viewTransform(): ViewTransform {
    return this.view
  }

  fit(): void {
    this.setView(fitToViewport(this.imageSize, this.viewport))
  }

  // --- input --------------------------------------------------------------------------------

  pointer(
    phase: 'down' | 'move' | 'up',
    screen: Point,
    mods: { alt: boolean; shift: boolean },
  ): void {
    const input: PointerInput = { point: screenToImage(this.view, screen), ...mods }
    if (phase === 'move') this.presence.setCursor(input.point)
    // A new gesture is a new undo step, even right after a nudge.
    if (phase === 'down') this.edits.endStep()
    this.applyEffects(this.tools[phase](input, this.toolContext()))
    this.markOverlay()
  }

  pointerLeft(): void {
    this.presence.setCursor(null)
  }

  zoomAt(screen: Point, factor: number): void {
    this.setView(zoomAt(this.view, screen, factor))
  }

  panBy(dx: number, dy: number): void {
    this.setView(panBy(this.view, dx, dy))
  }

  resize(size: Size): void {
    this.viewport = size
    this.scene?.resize(size)
  }

  undo(): void {
    this.pendingPreview = null
    this.session.undoManager.undo()
  }

  redo(): void {
    this.session.undoManager.redo()
  }

  /** Escape: cancel the shape being drawn; with nothing to cancel, clear the selection. */
  escape(): void {
    const step = this.tools.cancel(this.toolContext())
    this.applyEffects(step.effects)
    if (!step.handled && this.selection.length > 0) this.select([])
    this.markOverlay()
  }

  /** Enter: finish the shape being drawn. */
  finish(): void {
    this.applyEffects(this.tools.finish(this.toolContext()))
    this.markOverlay()
  }

  /** Digit keys: the label with that hotkey (else the n-th); false when there is none. */
  chooseHotkey(hotkey: number): boolean {
    const label = labelForHotkey(this.labels, hotkey)
    if (label) this.chooseLabel(label.id)
    return !!label
  }

  toggleRegionsVisible(): void {
    this.setRegionsVisible(!this.regionsVisible)
  }

  copySelection(): boolean {
    return writeClipboard(this.selectedRegions())
  }

  destroy(): void {
    this.destroyed = true
    this.store.destroy()
    this.presence.destroy()
    this.scene?.destroy()
    this.listeners.clear()
  }

  // --- edits (public ones are what keys and buttons ask for) --------------------------------------------------------------------------------

  private applyEffects(effects: ToolEffect[]): void {
    for (const effect of effects) {
      if (effect.type === 'select') this.select(effect.ids)
      else if (effect.type === 'create') this.create(effect.shape)
      else if (effect.phase === 'preview') {
        // Drags write at most once a frame; the undo manager folds them into one step.
        this.pendingPreview = { id: effect.id, geometry: effect.geometry }
        this.scene?.requestRender()
      } else {
        this.pendingPreview = null
        this.edits.setGeometry(effect.id, effect.geometry)
        this.edits.endStep()
      }
    }
  }

  private create(shape: NewShape): void {
    const choice = labelForDrawing(this.labels, this.activeLabelId, shape.kind)
    if (!choice.ok) return this.notify(choice.message)
    this.select([this.edits.create(shape.kind, choice.labelId, shape.geometry)])
  }

  private notify(text: string): void {
    this.notice = { id: (this.notice?.id ?? 0) + 1, text }
    this.emit()
  }

  deleteSelection(): boolean {
    if (this.selection.length === 0) return false
    this.edits.remove(this.selection)
    this.select([])
    return true
  }

  nudge(dx: number, dy: number): boolean {
    const regions = this.selectedRegions()
    if (regions.length === 0) return false
    this.edits.nudge(regions, dx, dy)
    return true
  }

  cycle(step: 1 | -1): boolean {
    const ids = this.store.sortedIds().filter((id) => !this.hidden.has(id))
    const id = cycleId(ids, this.selection[this.selection.length - 1], step)
    if (id) this.focusRegion(id)
    return id !== undefined
  }

  toggleHidden(): boolean {
    if (this.selection.length === 0) {
      if (this.hidden.size === 0) return false
      this.hidden.clear()
    } else if (this.selection.every((id) => this.hidden.has(id))) {
      this.selection.forEach((id) => this.hidden.delete(id))
    } else {
      this.selection.forEach((id) => this.hidden.add(id))
      this.select([])
    }
    this.scene?.batches.invalidateAll()
    this.scene?.requestRender()
    this.emit()
    return true
  }

  paste(): boolean {
    const ids = this.edits.paste(readClipboard(), (c) =>
      this.labelsById.has(c.labelId)
        ? c.labelId
        : labelForKind(this.labels, this.activeLabelId, c.kind),
    )
    this.select(ids)
    return ids.length > 0
  }

  // --- rendering ----------------------------------------------------------------------------

  private readonly onRegionsChanged = (change: RegionChange) => {
    for (const id of change.changed) {
      this.placeRegion(id)
      this.probe.noteChange(id)
    }
    const pruned = this.selection.filter((id) => this.store.regions.has(id))
    if (pruned.length !== this.selection.length) this.select(pruned)
    this.markOverlay()
    this.scene?.requestRender()
    this.emit()
  }

  private placeRegion(id: string): void {
    const region = this.store.regions.get(id)
    this.scene?.batches.place(id, region ? this.labelColour(region.labelId) : null)
  }

  private readonly beforeRender = () => {
    const scene = this.scene
    if (!scene) return
    this.probe.frameStarted()
    if (this.pendingPreview) {
      const { id, geometry } = this.pendingPreview
      this.pendingPreview = null
      this.edits.setGeometry(id, geometry)
    }
    scene.batches.setCacheScale(
      this.view.scale,
      Math.max(this.imageSize.width, this.imageSize.height),
    )
    scene.batches.flush(this.store.regions, this.hidden)
    if (this.overlayDirty || this.overlayScale !== this.view.scale) this.redrawOverlay(scene)
    this.presence.position(this.view)
  }

  private readonly afterRender = () => this.probe.frameEnded()

  private redrawOverlay(scene: Scene): void {
    const regions = this.store.regions
    const pick = (ids: readonly string[]) =>
      ids.map((id) => regions.get(id)).filter((r): r is Region => !!r)
    drawOverlay(scene.overlay, {
      scale: this.view.scale,
      selected: pick(this.selection),
      showHandles: this.tools.active === 'select',
      draft: this.tools.draft(),
      remoteSelections: this.presence.remotePeers.map((p: { state: PresenceState }) => ({
        colour: p.state.user.color,
        regions: pick(p.state.selection),
      })),
      pointRadius: this.pointRadius(),
    })
    this.overlayDirty = false
    this.overlayScale = this.view.scale
  }

  private markOverlay(): void {
    this.overlayDirty = true
    this.scene?.requestRender()
  }

  private setView(view: ViewTransform): void {
    this.view = view
    this.scene?.setView(view)
  }

  private pointRadius(): number {
    return Math.max(2, Math.min(this.imageSize.width, this.imageSize.height) / 250)
  }

  private selectedRegions(): Region[] {
    return this.selection.map((id) => this.store.regions.get(id)).filter((r) => !!r)
  }

  private toolContext(): ToolContext {
    const all = this.store.regions
    const regions =
      this.hidden.size === 0 ? all : new Map([...all].filter(([id]) => !this.hidden.has(id)))
    return {
      regions,
      selection: this.selection,
      tolerance: Math.max(HIT_SLOP_PX, HANDLE_SCREEN_PX / 2 + 1) / this.view.scale,
      imageSize: this.imageSize,
    }
  }

  private emit(): void {
    this.snapshot = this.makeSnapshot(this.snapshot.regionsVersion + 1)
    for (const listener of this.listeners) listener()
  }

  private makeSnapshot(regionsVersion: number): EditorSnapshot {
    return {
      tool: this.tools.active,
      selection: this.selection,
      activeLabelId: this.activeLabelId,
      regionCount: this.store.regions.size,
      regionsVersion,
      hiddenCount: this.hidden.size,
      notice: this.notice,
    }
  }
}
