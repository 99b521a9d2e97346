import type { Page } from 'playwright-core'
import { addRegion } from '@concord/shared'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import {
  canvasBox,
  dragThrough,
  openAssetAs,
  readRegions,
  startWorkspace,
  uploadPhoto,
  type Workspace,
} from '../support/workspace.ts'

const ADMIN = { email: 'admin@example.com', password: 'admin-password-123' }
const ALICE = { email: 'alice@example.com', name: 'Alice', password: 'alice-password-123' }
const BOB = { email: 'bob@example.com', name: 'Bob', password: 'bob-password-123' }

type Asset = { id: string; width: number; height: number; document: string }

describe('two people annotating one asset in two browsers', () => {
  let ws: Workspace
  let asset: Asset
  let alice: Page
  let bob: Page
  let carLabelId: string
  let adminToken: string

  beforeAll(async () => {
    ws = await startWorkspace(ADMIN)
    const admin = ws.api
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
    asset = await uploadPhoto<Asset>(admin, project.id, (photo) => `street/${photo}`)
    adminToken = (
      await admin.request<{ token: string }>('POST', '/api/tokens', { name: 'e2e script' })
    ).token

    alice = await openAssetAs(ws, ALICE, asset.id)
    bob = await openAssetAs(ws, BOB, asset.id)
  })

  afterAll(async () => {
    await ws?.close()
  })

  it('shows a box Alice draws to Bob, in his region list and his document', async () => {
    await alice.getByTestId('tool-box').click()
    const box = await canvasBox(alice)
    const cx = box.x + box.width / 2
    const cy = box.y + box.height / 2
    await dragThrough(
      alice,
      [
        { x: cx - 80, y: cy - 60 },
        { x: cx, y: cy },
        { x: cx + 80, y: cy + 60 },
      ],
      5,
    )

    await expect.poll(() => alice.getByTestId('region-item').count()).toBe(1)
    await expect.poll(() => bob.getByTestId('region-item').count(), { timeout: 10_000 }).toBe(1)
    const regions = await readRegions(bob)
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
    const regions = await readRegions(alice)
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
    await dragThrough(
      alice,
      [
        { x: box.x + 60, y: box.y + 60 },
        { x: box.x + 160, y: box.y + 140 },
      ],
      4,
    )
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
      `${ws.server.url.replace('http', 'ws')}/sync`,
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
