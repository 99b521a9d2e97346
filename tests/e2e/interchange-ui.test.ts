import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { Page, Route } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  firstPhoto,
  openSignedInPage,
  PHOTOS,
  startWorkspace,
  uploadPhoto,
  type Workspace,
} from '../support/workspace.ts'

const LEAD = { email: 'lead@example.com', password: 'lead-password-123' }
const COCO = path.resolve(PHOTOS, '../data_dataset_coco/annotations.json')

type FakeJob = Record<string, unknown> & { id: string; state: string }

/** A job as `GET /jobs` lists it, finished unless `patch` says otherwise. */
function fakeJob(patch: Partial<FakeJob> & { id: string }): FakeJob {
  return {
    kind: 'export',
    format: 'yolo',
    state: 'succeeded',
    progress: { phase: null, done: 0, total: 0 },
    result: null,
    summary: null,
    error: null,
    createdAt: '2025-01-01T00:00:00.000Z',
    ...patch,
  }
}

const isJobList = (url: URL) => url.pathname.endsWith('/jobs')
const json = (route: Route, body: unknown, status = 200) =>
  route.fulfill({ status, contentType: 'application/json', body: JSON.stringify(body) })

describe('the import and export UI of a project page', () => {
  let ws: Workspace
  let page: Page

  beforeAll(async () => {
    ws = await startWorkspace(LEAD)
  })

  afterAll(async () => {
    await ws?.close()
  })

  /** A new project and its page, signed in as the lead; `routes` are set before it loads. */
  async function openProject(routes: (page: Page) => Promise<void> = async () => {}) {
    const project = await ws.api.request<{ id: string }>('POST', '/api/projects', {
      name: 'Interchange',
      labels: [{ name: 'person' }],
    })
    await page?.context().close()
    page = await openSignedInPage(ws.browser, ws.server.url, LEAD)
    await routes(page)
    await page.goto(`${ws.server.url}/projects/${project.id}`)
    await page.getByTestId('project-title').waitFor()
    return project.id
  }

  it("shows an export's report warnings with their counts, in the singular for one", async () => {
    const many = Array.from({ length: 15 }, (_, i) => ({ code: 'other', message: `note ${i}` }))
    const jobs = [
      fakeJob({
        id: 'clipped',
        summary: {
          report: {
            warnings: [
              { code: 'clipped', message: 'box clipped to the image', count: 118 },
              { code: 'other', message: 'no val subset' },
            ],
            lossiness: [{ kind: 'mask', count: 3, reason: 'YOLO detect has no masks' }],
          },
        },
      }),
      fakeJob({ id: 'one', summary: { report: { warnings: [many[0]], lossiness: [] } } }),
      fakeJob({ id: 'many', summary: { report: { warnings: many, lossiness: [] } } }),
    ]
    await openProject((p) => p.route(isJobList, (route) => json(route, { jobs })))
    const rows = page.getByTestId('job')
    await rows.first().waitFor()

    const clipped = rows.nth(0).getByTestId('job-warnings')
    expect(await clipped.locator('summary').textContent()).toBe('2 warnings')
    await clipped.locator('summary').click()
    expect(await clipped.locator('li').allTextContents()).toEqual([
      'box clipped to the image (118)',
      'no val subset',
    ])
    expect(await rows.nth(0).getByTestId('job-lossiness').textContent()).toContain('3 × mask')

    expect(await rows.nth(1).locator('summary').textContent()).toBe('1 warning')

    const cut = rows.nth(2).getByTestId('job-warnings')
    await cut.locator('summary').click()
    expect(await cut.locator('li').count()).toBe(11)
    expect(await cut.locator('li').last().textContent()).toBe('and 5 more')
    await cut.getByRole('button', { name: 'and 5 more' }).click()
    expect(await cut.locator('li').count()).toBe(15)
  })

  it('takes a cancel error away once its job has ended', async () => {
    let state = 'running'
    await openProject(async (p) => {
      await p.route(isJobList, (route) =>
        json(route, { jobs: [fakeJob({ id: 'job-1', kind: 'import', state })] }),
      )
      await p.route('**/api/jobs/job-1/cancel', (route) =>
        json(route, { error: { code: 'conflict', message: 'The import is writing' } }, 409),
      )
    })
    await page.getByTestId('job-cancel').click()
    const error = page.getByTestId('job-list').getByText('The import is writing')
    await error.waitFor()
    state = 'succeeded'
    await error.waitFor({ state: 'detached', timeout: 10_000 })
  })

  it('shows the asset list loading, not empty, while an import refetches it', async () => {
    let state = 'running'
    let assetAnswers = 0
    const photo = firstPhoto()
    await openProject(async (p) => {
      await p.route(isJobList, (route) =>
        json(route, { jobs: [fakeJob({ id: 'import-1', kind: 'import', state })] }),
      )
      await p.route(
        (url) => url.pathname.endsWith('/assets'),
        async (route) => {
          if (route.request().method() !== 'GET') return route.fallback()
          assetAnswers += 1
          if (assetAnswers === 1) return json(route, { assets: [] })
          // The server answers once the imported regions are projected: seconds, not at once.
          await new Promise((resolve) => setTimeout(resolve, 2_500))
          const asset = { id: 'a1', fileName: photo, regionCount: 2, thumbnailUrl: '' }
          return json(route, { assets: [asset] })
        },
      )
    })
    await page.getByTestId('assets-empty').waitFor()
    state = 'succeeded'
    await page.getByTestId('assets-loading').waitFor({ timeout: 10_000 })
    expect(await page.getByTestId('assets-empty').count()).toBe(0)
    await page.getByTestId('asset-tile').waitFor({ timeout: 10_000 })
    expect(assetAnswers).toBe(2)
  })

  it('refuses annotation files and zips in the upload card before sending them', async () => {
    await openProject()
    const posts: string[] = []
    page.on('request', (req) => {
      if (req.method() === 'POST' && req.url().endsWith('/assets')) posts.push(req.url())
    })
    await page.getByTestId('upload-files').setInputFiles([
      { name: 'dataset.zip', mimeType: 'application/zip', buffer: Buffer.from('PK\x03\x04') },
      { name: 'annotations.json', mimeType: 'application/json', buffer: Buffer.from('{}') },
      { name: 'cvat.xml', mimeType: 'text/xml', buffer: Buffer.from('<annotations/>') },
    ])
    await page.getByTestId('upload-summary').waitFor()
    expect(await page.getByTestId('upload-summary').textContent()).toBe('0 of 3 files added.')
    const refused = await page.getByTestId('upload-refusals').locator('li').allTextContents()
    expect(refused).toHaveLength(3)
    for (const line of refused) expect(line).toContain('imported in “Import and export” below')
    expect(posts).toEqual([])

    await page.getByTestId('upload-files').setInputFiles([
      {
        name: firstPhoto(),
        mimeType: 'image/jpeg',
        buffer: readFileSync(path.join(PHOTOS, firstPhoto())),
      },
      { name: 'labels.json', mimeType: 'application/json', buffer: Buffer.from('{}') },
    ])
    await expect
      .poll(() => page.getByTestId('upload-summary').textContent(), { timeout: 30_000 })
      .toBe('1 of 2 files added.')
    expect(posts).toHaveLength(1)
  })

  it('imports a file dropped on the import section as choosing it would', async () => {
    const projectId = await openProject()
    await uploadPhoto(ws.api, projectId)
    await page.getByTestId('interchange-format').selectOption('coco')
    const drop = async (name: string, type: string, text: string) => {
      const data = await page.evaluateHandle(
        ({ name, type, text }) => {
          const transfer = new DataTransfer()
          transfer.items.add(new File([text], name, { type }))
          return transfer
        },
        { name, type, text },
      )
      await page.getByTestId('import-drop-zone').dispatchEvent('drop', { dataTransfer: data })
    }

    await drop('photo.jpg', 'image/jpeg', 'not really')
    expect(await page.getByTestId('import-drop-refusal').textContent()).toContain(
      'images are added in “Upload” above',
    )
    expect(await page.getByTestId('job').count()).toBe(0)

    await drop('annotations.json', 'application/json', readFileSync(COCO, 'utf8'))
    const done = page.locator('[data-testid="job"][data-state="succeeded"]', { hasText: 'coco' })
    await done.first().waitFor({ timeout: 60_000 })
    expect(await page.getByTestId('import-result').first().textContent()).toMatch(
      /Imported \d+ images?, [1-9]\d* regions/,
    )
    expect(await page.getByTestId('import-drop-refusal').count()).toBe(0)
  })

  it('puts the "with the images" checkbox on the line of its words', async () => {
    await openProject()
    const label = page.locator('label', { has: page.getByTestId('export-images') })
    const box = await page.getByTestId('export-images').boundingBox()
    const words = await label.evaluate((el) => {
      const range = document.createRange()
      range.selectNodeContents(el.lastChild!)
      const rect = range.getBoundingClientRect()
      return { left: rect.left, top: rect.top, bottom: rect.bottom }
    })
    expect(box).not.toBeNull()
    expect(words.left).toBeGreaterThan(box!.x + box!.width - 1)
    expect(words.top).toBeLessThan(box!.y + box!.height)
    expect(words.bottom).toBeGreaterThan(box!.y)
  })
})
