import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { CLOSE_CODES, CLOSE_MESSAGES } from '@concord/shared'
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
const USER = { email: 'olga@example.com', password: 'olga-password-123' }

describe('editing through a server restart', () => {
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
      name: 'Offline',
      labels: [{ name: 'thing' }],
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
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    page = await context.newPage()
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

  const status = () => page.getByTestId('status-chip').getAttribute('data-status')

  async function drawBox(offset: number) {
    await page.keyboard.press('b')
    const box = await page.getByTestId('canvas-container').boundingBox()
    if (!box) throw new Error('no canvas')
    await page.mouse.move(box.x + 200 + offset, box.y + 200)
    await page.mouse.down()
    await page.mouse.move(box.x + 300 + offset, box.y + 280, { steps: 4 })
    await page.mouse.up()
  }

  it("says offline with the server's reason, keeps the edit, and saves it after reconnecting", async () => {
    await drawBox(0)
    await expect.poll(status, { timeout: 15_000 }).toBe('saved')

    const port = server.port
    server.kill('SIGTERM')
    await server.exited
    await expect.poll(status, { timeout: 15_000 }).toBe('offline')
    expect(await page.getByTestId('status-chip').textContent()).toBe('offline')
    // The server closed the socket with its shutdown code; the page says so in words.
    expect(await page.getByTestId('sync-problem').textContent()).toBe(
      CLOSE_MESSAGES[CLOSE_CODES.serverShutdown],
    )

    await drawBox(150)
    expect(await page.evaluate(() => window.__concord?.readRegions().length)).toBe(2)
    expect(await status()).toBe('offline')

    server = await startServerProcess({
      dataDir,
      adminEmail: USER.email,
      adminPassword: USER.password,
      env: { PORT: String(port) },
    })
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

    const port = server.port
    server.kill('SIGTERM')
    await server.exited
    await expect.poll(status, { timeout: 15_000 }).toBe('offline')
    await drawBox(300)
    expect(await page.evaluate(() => window.__concord?.readRegions().length)).toBe(before + 1)

    // Leaving with unsaved edits asks first; the test says yes, and the reload then fails
    // because nothing serves the page.
    const dialogs: string[] = []
    page.once('dialog', (dialog) => {
      dialogs.push(dialog.type())
      void dialog.accept()
    })
    await page.reload().catch(() => undefined)
    expect(dialogs).toEqual(['beforeunload'])

    server = await startServerProcess({
      dataDir,
      adminEmail: USER.email,
      adminPassword: USER.password,
      env: { PORT: String(port) },
    })
    await page.goto(assetUrl)
    await page.waitForFunction(
      (n) => (window.__concord?.readRegions().length ?? 0) === n,
      before + 1,
      { timeout: 15_000 },
    )
    await expect.poll(status, { timeout: 30_000 }).toBe('saved')

    // Another browser, with nothing stored locally, gets the box from the server.
    const other = await browser.newContext({ viewport: { width: 1280, height: 800 } })
    const elsewhere = await other.newPage()
    await elsewhere.goto(server.url)
    await elsewhere.getByTestId('login-email').fill(USER.email)
    await elsewhere.getByTestId('login-password').fill(USER.password)
    await elsewhere.getByTestId('login-submit').click()
    await elsewhere.getByTestId('current-user').waitFor()
    await elsewhere.goto(assetUrl)
    await elsewhere.waitForFunction(
      (n) => (window.__concord?.readRegions().length ?? 0) === n,
      before + 1,
      { timeout: 15_000 },
    )
    await other.close()
  })
})
