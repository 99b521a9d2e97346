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
const USER = { email: 'lena@example.com', password: 'lena-password-123' }

describe('label hotkeys and the kinds each label allows', () => {
  let server: ServerProcess
  let dataDir: string
  let browser: Browser
  let page: Page
  let labelIds: Record<string, string> = {}

  beforeAll(async () => {
    ensureWebBuild()
    dataDir = mkdtempSync(path.join(tmpdir(), 'concord-e2e-'))
    server = await startServerProcess({
      dataDir,
      adminEmail: USER.email,
      adminPassword: USER.password,
    })
    const api = await ApiClient.signIn(server.url, USER.email, USER.password)
    const project = await api.request<{ id: string; labels: { id: string; name: string }[] }>(
      'POST',
      '/api/projects',
      {
        name: 'Kinds',
        labels: [
          { name: 'pot', hotkey: 1, kinds: ['bbox'] },
          { name: 'tree', hotkey: 2, kinds: ['polygon', 'point'] },
        ],
      },
    )
    labelIds = Object.fromEntries(project.labels.map((l) => [l.name, l.id]))
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

  async function toPage(x: number, y: number) {
    const box = await page.getByTestId('canvas-container').boundingBox()
    const view = await page.evaluate(() => window.__concord?.editor.viewTransform)
    if (!box || !view) throw new Error('no canvas')
    return { x: box.x + view.x + x * view.scale, y: box.y + view.y + y * view.scale }
  }

  const regions = () => page.evaluate(() => window.__concord?.readRegions() ?? [])
  const notice = () => page.getByTestId('editor-notice').textContent()

  it('leaves a box just drawn alone when P then a digit picks the label for the next shape', async () => {
    await page.keyboard.press('b')
    const a = await toPage(100, 100)
    const b = await toPage(200, 180)
    await page.mouse.move(a.x, a.y)
    await page.mouse.down()
    await page.mouse.move(b.x, b.y, { steps: 6 })
    await page.mouse.up()
    expect((await regions()).map((r) => [r.kind, r.labelId])).toEqual([['bbox', labelIds.pot]])

    await page.keyboard.press('p')
    expect(await page.evaluate(() => window.__concord?.editor.getSnapshot().selection)).toEqual([])
    await page.keyboard.press('2')
    expect((await regions()).map((r) => r.labelId)).toEqual([labelIds.pot])
    await page.keyboard.press('d')
    const at = await toPage(300, 250)
    await page.mouse.click(at.x, at.y)
    const byKind = Object.fromEntries((await regions()).map((r) => [r.kind, r.labelId]))
    expect(byKind).toEqual({ bbox: labelIds.pot, point: labelIds.tree })
  })

  it('refuses a hotkey whose label does not allow the selected region and says why', async () => {
    await page.keyboard.press('v')
    const box = (await regions()).find((r) => r.kind === 'bbox')
    await page.evaluate((id) => window.__concord?.editor.select([id]), box?.id ?? '')
    await page.keyboard.press('2')
    await expect.poll(notice).toContain('“tree” does not allow boxes')
    const after = (await regions()).find((r) => r.kind === 'bbox')
    expect(after?.labelId).toBe(labelIds.pot)
  })

  it('refuses to draw a kind the active label does not allow instead of picking another label', async () => {
    await page.keyboard.press('d')
    await page.keyboard.press('1')
    const before = (await regions()).length
    const at = await toPage(350, 120)
    await page.mouse.click(at.x, at.y)
    await expect.poll(notice).toContain('“pot” does not allow points')
    expect((await regions()).length).toBe(before)
  })
})
