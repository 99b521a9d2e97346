import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { addRegion } from '@concord/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { launchBrowser } from '../support/browser.ts'
import { ApiClient } from '../support/http-client.ts'
import { repoRoot, startServerProcess, type ServerProcess } from '../support/server-process.ts'
import { ensureWebBuild } from '../support/web-build.ts'

const PHOTOS = path.resolve(
  repoRoot,
  '../shared/data/labelme/examples/instance_segmentation/data_annotated',
)
const ADMIN = { email: 'admin@example.com', password: 'admin-password-123' }
const ALICE = { email: 'alice@example.com', name: 'Alice', password: 'alice-password-123' }
const BOB = { email: 'bob@example.com', name: 'Bob', password: 'bob-password-123' }

type Asset = { id: string; width: number; height: number; document: string }

describe('two people annotating one asset in two browsers', () => {
  let server: ServerProcess
  let dataDir: string
  let browser: Browser
  let asset: Asset
  let alice: Page
  let bob: Page
  let carLabelId: string
  let adminToken: string
  const contexts: BrowserContext[] = []

  beforeAll(async () => {
    ensureWebBuild()
    dataDir = mkdtempSync(path.join(tmpdir(), 'concord-e2e-'))
    server = await startServerProcess({
      dataDir,
      adminEmail: ADMIN.email,
      adminPassword: ADMIN.password,
    })
    const admin = await ApiClient.signIn(server.url, ADMIN.email, ADMIN.password)
    for (const u of [ALICE, BOB]) await admin.request('POST', '/api/users', u)
    const project = await admin.request<{ id: string; labels: { id: string; name: string }[] }>(
      'POST',
      '/api/projects',
      {
        name: 'Street scenes',
        labels: [
          { name: 'person', color: '#e6194b', hotkey: 1 },
          { name: 'car', color: '#4363d8', hotkey: 2 },
        ],
      },
    )
    carLabelId = project.labels.find((l) => l.name === 'car')?.id ?? ''
    for (const u of [ALICE, BOB]) {
      await admin.request('POST', `/api/projects/${project.id}/members`, {
        email: u.email,
        role: 'annotator',
      })
    }
    const photo = readdirSync(PHOTOS).find((f) => f.endsWith('.jpg'))
    if (!photo) throw new Error(`no photo in ${PHOTOS}`)
    const form = new FormData()
    form.append(
      'file',
      new Blob([readFileSync(path.join(PHOTOS, photo))], { type: 'image/jpeg' }),
      `street/${photo}`,
    )
    const uploaded = await admin.request<{ assets: Asset[] }>(
      'POST',
      `/api/projects/${project.id}/assets`,
      form,
    )
    const first = uploaded.assets[0]
    if (!first) throw new Error('the upload made no asset')
    asset = first
    adminToken = (
      await admin.request<{ token: string }>('POST', '/api/tokens', { name: 'e2e script' })
    ).token

    browser = await launchBrowser()
    alice = await openAsset(ALICE)
    bob = await openAsset(BOB)
  })

  afterAll(async () => {
    await browser?.close()
    server?.kill('SIGTERM')
    await server?.exited
    if (dataDir) rmSync(dataDir, { recursive: true, force: true })
  })

  async function openAsset(user: { email: string; password: string }): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    contexts.push(context)
    const page = await context.newPage()
    await page.goto(server.url)
    await page.getByTestId('login-email').fill(user.email)
    await page.getByTestId('login-password').fill(user.password)
    await page.getByTestId('login-submit').click()
    await page.getByTestId('current-user').waitFor()
    await page.goto(`${server.url}/assets/${asset.id}`)
    await page.getByTestId('canvas-container').locator('canvas').waitFor()
    await page.waitForFunction(() => (window.__concord?.editor.probe.renders ?? 0) > 0)
    return page
  }

  /** Screen position inside the canvas container of an image pixel, through the page's view. */
  async function canvasBox(page: Page) {
    const box = await page.getByTestId('canvas-container').boundingBox()
    if (!box) throw new Error('canvas container has no box')
    return box
  }

  it('shows a box Alice draws to Bob, in his region list and his document', async () => {
    await alice.getByTestId('tool-box').click()
    const box = await canvasBox(alice)
    const cx = box.x + box.width / 2
    const cy = box.y + box.height / 2
    await alice.mouse.move(cx - 80, cy - 60)
    await alice.mouse.down()
    await alice.mouse.move(cx, cy, { steps: 5 })
    await alice.mouse.move(cx + 80, cy + 60, { steps: 5 })
    await alice.mouse.up()

    await expect.poll(() => alice.getByTestId('region-item').count()).toBe(1)
    await expect.poll(() => bob.getByTestId('region-item').count(), { timeout: 10_000 }).toBe(1)
    const regions = await bob.evaluate(() => window.__concord?.readRegions() ?? [])
    expect(regions).toHaveLength(1)
    expect(regions[0]?.kind).toBe('bbox')
    const g = regions[0]?.geometry as { w: number; h: number }
    expect(g.w).toBeGreaterThan(10)
    expect(g.h).toBeGreaterThan(10)
    expect(await bob.getByTestId('region-item').getAttribute('data-label-name')).toBe('person')
  })

  it('reaches "saved" once the server has stored Alice\'s edit', async () => {
    await expect
      .poll(() => alice.getByTestId('status-chip').getAttribute('data-status'), { timeout: 15_000 })
      .toBe('saved')
    expect(await alice.getByTestId('status-chip').textContent()).toBe('saved')
  })

  it("shows Bob's relabel by hotkey to Alice", async () => {
    await bob.getByTestId('region-item').first().click()
    // Bob's selection reaches Alice through awareness, so her canvas outlines it in his colour.
    const selectedId = await bob.getByTestId('region-item').first().getAttribute('data-region-id')
    await expect
      .poll(() =>
        alice.evaluate(
          (id) =>
            window.__concord?.editor.presence.remotePeers.some((p) =>
              p.state.selection.includes(id ?? ''),
            ),
          selectedId,
        ),
      )
      .toBe(true)
    await bob.getByTestId('canvas-container').focus()
    await bob.keyboard.press('2')
    await expect
      .poll(() => bob.getByTestId('region-item').first().getAttribute('data-label-name'))
      .toBe('car')
    await expect
      .poll(() => alice.getByTestId('region-item').first().getAttribute('data-label-name'), {
        timeout: 10_000,
      })
      .toBe('car')
    const regions = await alice.evaluate(() => window.__concord?.readRegions() ?? [])
    expect(regions[0]?.labelId).toBe(carLabelId)
    // Bob's edit, made on Alice's region: provenance names both.
    expect(regions[0]?.updatedBy).not.toBe(regions[0]?.createdBy)
  })

  it("shows each person the other's cursor with their name", async () => {
    const a = await canvasBox(alice)
    const b = await canvasBox(bob)
    await alice.mouse.move(a.x + 100, a.y + 120, { steps: 3 })
    await bob.mouse.move(b.x + 300, b.y + 200, { steps: 3 })
    const cursorOf = (page: Page, name: string) =>
      page.locator(`[data-testid="remote-cursor"][data-user-name="${name}"]`)
    await cursorOf(bob, ALICE.name).waitFor({ state: 'visible', timeout: 10_000 })
    await cursorOf(alice, BOB.name).waitFor({ state: 'visible', timeout: 10_000 })
    expect(await cursorOf(bob, ALICE.name).textContent()).toContain(ALICE.name)

    // Alice's cursor sits where her pointer is: same image point, so same screen point here.
    const seen = await cursorOf(bob, ALICE.name).boundingBox()
    expect(seen).not.toBeNull()
    expect(Math.abs((seen?.x ?? 0) - (b.x + 100))).toBeLessThan(3)
    expect(Math.abs((seen?.y ?? 0) - (b.y + 120))).toBeLessThan(3)
  })

  it("undoes and redoes only Alice's own new box, as Bob sees", async () => {
    const before = await bob.getByTestId('region-item').count()
    await alice.getByTestId('tool-box').click()
    const box = await canvasBox(alice)
    await alice.mouse.move(box.x + 60, box.y + 60)
    await alice.mouse.down()
    await alice.mouse.move(box.x + 160, box.y + 140, { steps: 4 })
    await alice.mouse.up()
    await expect
      .poll(() => bob.getByTestId('region-item').count(), { timeout: 10_000 })
      .toBe(before + 1)

    await alice.keyboard.press('Control+z')
    await expect
      .poll(() => bob.getByTestId('region-item').count(), { timeout: 10_000 })
      .toBe(before)
    // Bob's relabel of the first box is not Alice's to undo; it stays.
    expect(await alice.getByTestId('region-item').first().getAttribute('data-label-name')).toBe(
      'car',
    )

    await alice.keyboard.press('Control+Shift+z')
    await expect
      .poll(() => bob.getByTestId('region-item').count(), { timeout: 10_000 })
      .toBe(before + 1)
  })

  it('shows a region a script writes with any Yjs client, grey when its label is unknown', async () => {
    const doc = new Y.Doc()
    const provider = new WebsocketProvider(
      `${server.url.replace('http', 'ws')}/sync`,
      asset.document,
      doc,
      {
        WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
        params: { token: adminToken },
        disableBc: true,
      },
    )
    try {
      await new Promise<void>((resolve) => provider.once('sync', () => resolve()))
      const id = addRegion(
        doc,
        {
          kind: 'polygon',
          labelId: 'not-in-schema',
          geometry: {
            points: [
              [5, 5],
              [60, 5],
              [30, 50],
            ],
          },
        },
        'script',
      )
      const row = alice.locator(`[data-testid="region-item"][data-region-id="${id}"]`)
      await row.waitFor({ timeout: 10_000 })
      expect(await row.textContent()).toContain('unknown label')
      await bob
        .locator(`[data-testid="region-item"][data-region-id="${id}"]`)
        .waitFor({ timeout: 10_000 })
    } finally {
      provider.destroy()
    }
  })
})
