import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  clickAt,
  drag,
  openAssetAs,
  readRegions,
  startWorkspace,
  toPage,
  uploadPhoto,
  type Workspace,
} from '../support/workspace.ts'

const USER = { email: 'ed@example.com', password: 'ed-password-1234' }

type Geometry = Record<string, unknown>

describe('editing regions on the canvas with pointer and keys', () => {
  let ws: Workspace
  let page: Page

  beforeAll(async () => {
    ws = await startWorkspace(USER)
    const project = await ws.api.request<{ id: string }>('POST', '/api/projects', {
      name: 'Edits',
      labels: [{ name: 'thing', hotkey: 1 }],
    })
    const asset = await uploadPhoto(ws.api, project.id)
    page = await openAssetAs(ws, USER, asset.id)
  })

  afterAll(async () => {
    await ws?.close()
  })

  const regions = () => readRegions(page)
  const geometry = async (): Promise<Geometry | undefined> =>
    (await regions())[0]?.geometry as Geometry

  it('draws a box, moves it by dragging and resizes it by a corner grip', async () => {
    await page.keyboard.press('b')
    await drag(page, [100, 100], [200, 180])
    const drawn = (await geometry()) as { x: number; y: number; w: number; h: number }
    expect(drawn.x).toBeCloseTo(100, 0)
    expect(drawn.w).toBeCloseTo(100, 0)

    await page.keyboard.press('v')
    await drag(page, [150, 140], [170, 150])
    const moved = (await geometry()) as typeof drawn
    expect(moved.x - drawn.x).toBeCloseTo(20, 0)
    expect(moved.y - drawn.y).toBeCloseTo(10, 0)
    expect(moved.w).toBeCloseTo(drawn.w, 6)

    await drag(
      page,
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
    await drag(page, [b.x + b.w / 2, b.y + b.h / 2], [b.x + b.w / 2 + 60, b.y + b.h / 2 + 5])
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
      await clickAt(page, x, y)
    }
    await page.keyboard.press('Enter')
    expect((await regions()).map((r) => r.kind).sort()).toEqual(['bbox', 'polygon'])

    for (const [x, y] of [
      [50, 250],
      [90, 260],
    ] as const) {
      await clickAt(page, x, y)
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
    const anchor = await toPage(page, 200, 150)
    await page.mouse.move(anchor.x, anchor.y)
    const before = await page.evaluate(() => window.__concord?.editor.viewTransform.scale ?? 0)
    await page.mouse.wheel(0, -300)
    await expect
      .poll(() => page.evaluate(() => window.__concord?.editor.viewTransform.scale ?? 0))
      .toBeGreaterThan(before)
    const again = await toPage(page, 200, 150)
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
