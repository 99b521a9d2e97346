import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser } from '../support/browser.ts'
import { ApiClient } from '../support/http-client.ts'
import { repoRoot, startServerProcess, type ServerProcess } from '../support/server-process.ts'
import { ensureWebBuild } from '../support/web-build.ts'

const PHOTOS = path.resolve(
  repoRoot,
  '../shared/data/labelme/examples/instance_segmentation/data_annotated',
)
const USER = { email: 'ed@example.com', password: 'ed-password-1234' }

type Geometry = Record<string, unknown>

describe('editing regions on the canvas with pointer and keys', () => {
  let server: ServerProcess
  let dataDir: string
  let browser: Browser
  let page: Page

  beforeAll(async () => {
    ensureWebBuild()
    dataDir = mkdtempSync(path.join(tmpdir(), 'concord-e2e-'))
    server = await startServerProcess({
      dataDir,
      adminEmail: USER.email,
      adminPassword: USER.password,
    })
    const api = await ApiClient.signIn(server.url, USER.email, USER.password)
    const project = await api.request<{ id: string }>('POST', '/api/projects', {
      name: 'Edits',
      labels: [{ name: 'thing', hotkey: 1 }],
    })
    const photo = readdirSync(PHOTOS).find((f) => f.endsWith('.jpg')) ?? ''
    const form = new FormData()
    form.append(
      'file',
      new Blob([readFileSync(path.join(PHOTOS, photo))], { type: 'image/jpeg' }),
      photo,
    )
    const { assets } = await api.request<{ assets: { id: string }[] }>(
      'POST',
      `/api/projects/${project.id}/assets`,
      form,
    )
    browser = await launchBrowser()
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
    await page.goto(server.url)
    await page.getByTestId('login-email').fill(USER.email)
    await page.getByTestId('login-password').fill(USER.password)
    await page.getByTestId('login-submit').click()
    await page.getByTestId('current-user').waitFor()
    await page.goto(`${server.url}/assets/${assets[0]?.id}`)
    await page.waitForFunction(() => (window.__concord?.editor.probe.renders ?? 0) > 0)
  })

  afterAll(async () => {
    await browser?.close()
    server?.kill('SIGTERM')
    await server?.exited
    if (dataDir) rmSync(dataDir, { recursive: true, force: true })
  })

  /** Page coordinates of an image pixel under the editor's current view. */
  async function toPage(x: number, y: number) {
    const box = await page.getByTestId('canvas-container').boundingBox()
    const view = await page.evaluate(() => window.__concord?.editor.viewTransform)
    if (!box || !view) throw new Error('no canvas')
    return { x: box.x + view.x + x * view.scale, y: box.y + view.y + y * view.scale }
  }

  async function drag(from: [number, number], to: [number, number]) {
    const a = await toPage(...from)
    const b = await toPage(...to)
    await page.mouse.move(a.x, a.y)
    await page.mouse.down()
    await page.mouse.move(b.x, b.y, { steps: 6 })
    await page.mouse.up()
  }

  const regions = () => page.evaluate(() => window.__concord?.readRegions() ?? [])
  const geometry = async (): Promise<Geometry | undefined> =>
    (await regions())[0]?.geometry as Geometry

  it('draws a box, moves it by dragging and resizes it by a corner grip', async () => {
    await page.keyboard.press('b')
    await drag([100, 100], [200, 180])
    const drawn = (await geometry()) as { x: number; y: number; w: number; h: number }
    expect(drawn.x).toBeCloseTo(100, 0)
    expect(drawn.w).toBeCloseTo(100, 0)

    await page.keyboard.press('v')
    await drag([150, 140], [170, 150])
    const moved = (await geometry()) as typeof drawn
    expect(moved.x - drawn.x).toBeCloseTo(20, 0)
    expect(moved.y - drawn.y).toBeCloseTo(10, 0)
    expect(moved.w).toBeCloseTo(drawn.w, 6)

    await drag(
      [moved.x + moved.w, moved.y + moved.h],
      [moved.x + moved.w + 30, moved.y + moved.h + 40],
    )
    const resized = (await geometry()) as typeof drawn
    expect(resized.x).toBeCloseTo(moved.x, 6)
    expect(resized.w).toBeCloseTo(moved.w + 30, 0)
    expect(resized.h).toBeCloseTo(moved.h + 40, 0)
  })

  it('nudges the selection with arrow keys, ten pixels with Shift', async () => {
    const before = (await geometry()) as { x: number; y: number }
    await page.keyboard.press('ArrowRight')
    await page.keyboard.press('Shift+ArrowDown')
    const after = (await geometry()) as typeof before
    expect(after.x - before.x).toBeCloseTo(1, 6)
    expect(after.y - before.y).toBeCloseTo(10, 6)
  })

  it('undoes a move as one step however many frames the drag wrote', async () => {
    const before = await geometry()
    const b = before as { x: number; y: number; w: number; h: number }
    await drag([b.x + b.w / 2, b.y + b.h / 2], [b.x + b.w / 2 + 60, b.y + b.h / 2 + 5])
    expect(await geometry()).not.toEqual(before)
    await page.keyboard.press('Control+z')
    expect(await geometry()).toEqual(before)
  })

  it('closes a polygon with Enter and throws one away with Escape', async () => {
    await page.keyboard.press('p')
    for (const [x, y] of [
      [300, 100],
      [380, 120],
      [340, 200],
    ] as const) {
      const p = await toPage(x, y)
      await page.mouse.click(p.x, p.y)
    }
    await page.keyboard.press('Enter')
    expect((await regions()).map((r) => r.kind).sort()).toEqual(['bbox', 'polygon'])

    for (const [x, y] of [
      [50, 250],
      [90, 260],
    ] as const) {
      const p = await toPage(x, y)
      await page.mouse.click(p.x, p.y)
    }
    await page.keyboard.press('Escape')
    await page.keyboard.press('Enter')
    expect(await regions()).toHaveLength(2)
  })

  it('steps through regions with Tab and deletes the selected one', async () => {
    await page.keyboard.press('v')
    await page.keyboard.press('Escape')
    await page.keyboard.press('Tab')
    const first = await page.evaluate(() => window.__concord?.editor.getSnapshot().selection[0])
    await page.keyboard.press('Tab')
    const second = await page.evaluate(() => window.__concord?.editor.getSnapshot().selection[0])
    expect(first).toBeTruthy()
    expect(second).toBeTruthy()
    expect(second).not.toBe(first)
    await page.keyboard.press('Delete')
    expect((await regions()).map((r) => r.id)).toEqual([first])
  })

  it('zooms at the cursor with the wheel, keeping the image point under it', async () => {
    const anchor = await toPage(200, 150)
    await page.mouse.move(anchor.x, anchor.y)
    const before = await page.evaluate(() => window.__concord?.editor.viewTransform.scale ?? 0)
    await page.mouse.wheel(0, -300)
    await expect
      .poll(() => page.evaluate(() => window.__concord?.editor.viewTransform.scale ?? 0))
      .toBeGreaterThan(before)
    const again = await toPage(200, 150)
    expect(Math.abs(again.x - anchor.x)).toBeLessThan(1)
    expect(Math.abs(again.y - anchor.y)).toBeLessThan(1)
  })

  it('lists every shortcut in the ? overlay', async () => {
    await page.keyboard.press('?')
    const dialog = page.getByTestId('shortcuts-dialog')
    await dialog.waitFor()
    const text = (await dialog.textContent()) ?? ''
    for (const key of [
      'Ctrl+Z',
      'Ctrl+Shift+Z',
      'Delete',
      'Escape',
      'Enter',
      'Tab',
      'Arrow keys',
      'Space',
    ]) {
      expect(text).toContain(key)
    }
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'detached' })
  })
})
