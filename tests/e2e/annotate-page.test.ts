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
const USER = { email: 'nina@example.com', password: 'nina-password-123' }
const VIEWPORT = { width: 1280, height: 800 }
const LONG_PROJECT = `Project ${'with a very long name '.repeat(9)}`.slice(0, 200)
const LONG_FILE = `${'a-very-long-file-name-'.repeat(9)}`.slice(0, 196) + '.jpg'

describe('the annotation page', () => {
  let server: ServerProcess
  let dataDir: string
  let browser: Browser
  let page: Page
  let api: ApiClient
  let project: { id: string; labels: { id: string; name: string }[] }
  const projectRequests: { url: string; status: number }[] = []

  beforeAll(async () => {
    ensureWebBuild()
    dataDir = mkdtempSync(path.join(tmpdir(), 'concord-e2e-'))
    server = await startServerProcess({
      dataDir,
      adminEmail: USER.email,
      adminPassword: USER.password,
    })
    api = await ApiClient.signIn(server.url, USER.email, USER.password)
    project = await api.request('POST', '/api/projects', {
      name: LONG_PROJECT,
      labels: [{ name: 'thing' }],
    })
    const photo = readdirSync(PHOTOS).find((f) => f.endsWith('.jpg')) ?? ''
    const form = new FormData()
    form.append(
      'file',
      new Blob([readFileSync(path.join(PHOTOS, photo))], { type: 'image/jpeg' }),
      LONG_FILE,
    )
    const { assets } = await api.request<{ assets: { id: string }[] }>(
      'POST',
      `/api/projects/${project.id}/assets`,
      form,
    )
    browser = await launchBrowser()
    page = await browser.newPage({ viewport: VIEWPORT })
    page.on('response', (res) => {
      if (res.url().includes('/api/projects/')) {
        projectRequests.push({ url: res.url(), status: res.status() })
      }
    })
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

  it('asks for the project only once the asset says which, never with an empty id', () => {
    expect(projectRequests.filter((r) => r.url.endsWith('/api/projects/'))).toEqual([])
    expect(projectRequests.filter((r) => r.status === 404)).toEqual([])
    expect(projectRequests.some((r) => r.url.endsWith(`/api/projects/${project.id}`))).toBe(true)
  })

  it('keeps the tools and the status chip on screen beside a 200-character name', async () => {
    const canvas = await page.getByTestId('canvas-container').boundingBox()
    for (const id of ['status-chip', 'tool-select', 'tool-point', 'shortcuts']) {
      const box = await page.getByTestId(id).boundingBox()
      expect(box, id).not.toBeNull()
      expect(box!.x + box!.width, id).toBeLessThanOrEqual(VIEWPORT.width)
      // One line above the canvas, not wrapped below it.
      expect(box!.y + box!.height, id).toBeLessThanOrEqual(canvas!.y)
    }
    expect(await page.getByTestId('asset-name').getAttribute('title')).toBe(LONG_FILE)
    expect(await page.getByTestId('project-link').getAttribute('title')).toBe(LONG_PROJECT)
  })

  it("shows a label's new name and colour without a reload", async () => {
    const label = project.labels[0]!
    await api.request('PATCH', `/api/projects/${project.id}/labels/${label.id}`, {
      name: 'renamed thing',
      color: '#123456',
    })
    await expect
      .poll(() => page.getByTestId('label-option').allTextContents(), { timeout: 20_000 })
      .toContainEqual(expect.stringContaining('renamed thing'))
    expect(await page.evaluate((id) => window.__concord?.editor.labelColour(id), label.id)).toBe(
      '#123456',
    )
  })
})
