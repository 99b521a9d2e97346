/**
 * Figures the benchmark and browser tests read from `window.__concord.editor.probe`: how many
 * frames were drawn, how long the last one took on the main thread, and when a frame last
 * showed a document change (wall-clock ms, comparable with another process's clock).
 */
export class RenderProbe {
  renders = 0
  lastRenderedUpdateAt = 0
  lastRenderedIds: string[] = []
  /** Main-thread ms of the last frame: flushing batches and overlay plus Pixi's render call. */
  lastFrameMs = 0
  private frameStart = 0
  private readonly pending = new Set<string>()

  /** A region changed in the document; the next frame will show it. */
  noteChange(id: string): void {
    this.pending.add(id)
  }

  frameStarted(): void {
    this.frameStart = performance.now()
  }

  frameEnded(): void {
    this.renders++
    this.lastFrameMs = performance.now() - this.frameStart
    if (this.pending.size === 0) return
    this.lastRenderedUpdateAt = performance.timeOrigin + performance.now()
    this.lastRenderedIds = [...this.pending]
    this.pending.clear()
  }
}
