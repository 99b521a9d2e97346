import { Application, Container, Graphics, Sprite, Texture } from 'pixi.js'
import { RegionBatches } from './region-batches.ts'
import type { Size, ViewTransform } from './view-transform.ts'

/**
 * The PixiJS side of the annotation canvas: an image sprite, the batched regions and the
 * overlay inside one world container whose transform is the view. Rendering happens on
 * demand (after a change), not every frame, so an idle canvas costs nothing.
 */
export class Scene {
  readonly world = new Container()
  readonly overlay = new Graphics()
  readonly batches: RegionBatches
  private sprite: Sprite | null = null
  private frame = 0
  private destroyed = false

  private constructor(
    private readonly app: Application,
    pointRadius: () => number,
    private readonly hooks: { beforeRender: () => void; afterRender: () => void },
  ) {
    this.batches = new RegionBatches(pointRadius)
    this.world.addChild(this.batches.container, this.overlay)
    this.overlay.eventMode = 'none'
    app.stage.addChild(this.world)
  }

  static async create(
    host: HTMLElement,
    pointRadius: () => number,
    hooks: { beforeRender: () => void; afterRender: () => void },
  ): Promise<Scene> {
    const app = new Application()
    await app.init({
      width: Math.max(1, host.clientWidth),
      height: Math.max(1, host.clientHeight),
      background: '#1e1f22',
      antialias: false,
      autoStart: false,
      preference: 'webgl',
      resolution: window.devicePixelRatio || 1,
      autoDensity: true,
    })
    app.canvas.style.display = 'block'
    host.prepend(app.canvas)
    return new Scene(app, pointRadius, hooks)
  }

  /** Loads the image through the browser (cookies included) and shows it under the regions. */
  async setImage(url: string): Promise<Size> {
    const img = new Image()
    img.src = url
    await img.decode()
    if (this.destroyed) return { width: img.naturalWidth, height: img.naturalHeight }
    this.sprite?.destroy()
    this.sprite = new Sprite(Texture.from(img))
    this.world.addChildAt(this.sprite, 0)
    this.requestRender()
    return { width: img.naturalWidth, height: img.naturalHeight }
  }

  setView(view: ViewTransform): void {
    this.world.position.set(view.x, view.y)
    this.world.scale.set(view.scale)
    this.requestRender()
  }

  resize(size: Size): void {
    this.app.renderer.resize(Math.max(1, size.width), Math.max(1, size.height))
    this.requestRender()
  }

  /** Schedules one render on the next animation frame; repeated calls in a frame coalesce. */
  requestRender(): void {
    if (this.frame || this.destroyed) return
    this.frame = requestAnimationFrame(() => {
      this.frame = 0
      if (this.destroyed) return
      this.hooks.beforeRender()
      this.app.render()
      this.hooks.afterRender()
    })
  }

  get canvas(): HTMLCanvasElement {
    return this.app.canvas
  }

  destroy(): void {
    this.destroyed = true
    if (this.frame) cancelAnimationFrame(this.frame)
    this.app.destroy({ removeView: true }, { children: true, texture: true })
  }
}
