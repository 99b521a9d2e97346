import { CLOSE_CODES, CLOSE_MESSAGES } from '@concord/shared'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  canvasBox,
  dragThrough,
  openAssetAs,
  openSignedInPage,
  startWorkspace,
  uploadPhoto,
  type Workspace,
} from '../support/workspace.ts'

const USER = { email: 'olga@example.com', password: 'olga-password-123' }

describe('editing through a server restart', () => {
  let ws: Workspace
  let page: Page

  beforeAll(async () => {
    ws = await startWorkspace(USER)
    const project = await ws.api.request<{ id: string }>('POST', '/api/projects', {
      name: 'Offline',
      labels: [{ name: 'thing' }],
    })
    const asset = await uploadPhoto(ws.api, project.id)
    page = await openAssetAs(ws, USER, asset.id)
  })

  afterAll(async () => {
    await ws?.close()
  })

  const status = () => page.getByTestId('status-chip').getAttribute('data-status')

  async function drawBox(offset: number) {
    await page.keyboard.press('b')
    const box = await canvasBox(page)
    await dragThrough(
      page,
      [
        { x: box.x + 200 + offset, y: box.y + 200 },
        { x: box.x + 300 + offset, y: box.y + 280 },
      ],
      4,
    )
  }

  it("says offline with the server's reason, keeps the edit, and saves it after reconnecting", async () => {
    await drawBox(0)
    await expect.poll(status, { timeout: 15_000 }).toBe('saved')

    const port = ws.server.port
    ws.server.kill('SIGTERM')
    await ws.server.exited
    await expect.poll(status, { timeout: 15_000 }).toBe('offline')
    expect(await page.getByTestId('status-chip').textContent()).toBe('offline')
    // The server closed the socket with its shutdown code; the page says so in words.
    expect(await page.getByTestId('sync-problem').textContent()).toBe(
      CLOSE_MESSAGES[CLOSE_CODES.serverShutdown],
    )

    await drawBox(150)
    expect(await page.evaluate(() => window.__concord?.readRegions().length)).toBe(2)
    expect(await status()).toBe('offline')

    await ws.relaunchServer(port)
    await expect.poll(status, { timeout: 30_000 }).toBe('saved')
    expect(await page.getByTestId('sync-problem').count()).toBe(0)

    // A fresh page loads what the server stored: both boxes, the one drawn offline included.
    const fresh = await page.context().newPage()
    await fresh.goto(page.url())
    await fresh.waitForFunction(() => (window.__concord?.readRegions().length ?? 0) === 2, null, {
      timeout: 15_000,
    })
    await fresh.close()
  })

  it('keeps an edit made offline through a reload and sends it when the asset is opened again', async () => {
    await expect.poll(status, { timeout: 30_000 }).toBe('saved')
    const before = (await page.evaluate(() => window.__concord?.readRegions().length)) ?? 0
    const assetUrl = page.url()

    const port = ws.server.port
    ws.server.kill('SIGTERM')
    await ws.server.exited
    await expect.poll(status, { timeout: 15_000 }).toBe('offline')
    await drawBox(300)
    expect(await page.evaluate(() => window.__concord?.readRegions().length)).toBe(before + 1)
    // The box is in the browser's store once its write has committed: a read of the same store
    // waits for it. (A person takes longer to answer the dialog below than the write takes; the
    // test answers at once, so it waits here instead.)
    await page.evaluate(
      () =>
        new Promise<void>((resolve, reject) => {
          const db = window.__concord?.session.local.db
          if (!db) return reject(new Error('no local store'))
          const tx = db.transaction(['updates'], 'readonly')
          tx.objectStore('updates').count()
          tx.oncomplete = () => resolve()
          tx.onerror = () => reject(tx.error)
        }),
    )

    // Leaving with unsaved edits asks first; the test says yes, and the reload then fails
    // because nothing serves the page.
    const dialogs: string[] = []
    page.once('dialog', (dialog) => {
      dialogs.push(dialog.type())
      void dialog.accept()
    })
    await page.reload().catch(() => undefined)
    expect(dialogs).toEqual(['beforeunload'])

    await ws.relaunchServer(port)
    await page.goto(assetUrl)
    await page.waitForFunction(
      (n) => (window.__concord?.readRegions().length ?? 0) === n,
      before + 1,
      { timeout: 30_000 },
    )
    await expect.poll(status, { timeout: 30_000 }).toBe('saved')

    // Another browser, with nothing stored locally, gets the box from the server.
    const elsewhere = await openSignedInPage(ws.browser, ws.server.url, USER)
    await elsewhere.goto(assetUrl)
    await elsewhere.waitForFunction(
      (n) => (window.__concord?.readRegions().length ?? 0) === n,
      before + 1,
      { timeout: 15_000 },
    )
    await elsewhere.context().close()
  })
})
