import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  openAsset,
  signIn,
  startWorkspace,
  uploadPhoto,
  type Workspace,
} from '../support/workspace.ts'

const USER = { email: 'nina@example.com', password: 'nina-password-123' }
const VIEWPORT = { width: 1280, height: 800 }
const LONG_PROJECT = `Project ${'with a very long name '.repeat(9)}`.slice(0, 200)
const LONG_FILE = `${'a-very-long-file-name-'.repeat(9)}`.slice(0, 196) + '.jpg'

describe('the annotation page', () => {
  let ws: Workspace
  let page: Page
  let project: { id: string; labels: { id: string; name: string }[] }
  const projectRequests: { url: string; status: number }[] = []

  beforeAll(async () => {
    ws = await startWorkspace(USER)
    project = await ws.api.request('POST', '/api/projects', {
      name: LONG_PROJECT,
      labels: [{ name: 'thing' }],
    })
    const asset = await uploadPhoto(ws.api, project.id, LONG_FILE)
    page = await (await ws.browser.newContext({ viewport: VIEWPORT })).newPage()
    // Listening before sign-in, so every request the app makes for a project is seen.
    page.on('response', (res) => {
      if (res.url().includes('/api/projects/')) {
        projectRequests.push({ url: res.url(), status: res.status() })
      }
    })
    await signIn(page, ws.server.url, USER)
    await openAsset(page, ws.server.url, asset.id)
  })

  afterAll(async () => {
    await ws?.close()
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
    await ws.api.request('PATCH', `/api/projects/${project.id}/labels/${label.id}`, {
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
