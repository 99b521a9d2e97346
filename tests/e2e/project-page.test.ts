import { copyFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ApiClient } from '../support/http-client.ts'
import {
  firstPhoto,
  openSignedInPage,
  PHOTOS,
  startWorkspace,
  submitSignIn,
  type Workspace,
} from '../support/workspace.ts'

const LEAD = { email: 'lead@example.com', password: 'lead-password-123' }
const COLLEAGUE = { email: 'carol@example.com', name: 'Carol', password: 'carol-password-123' }
const VIEWPORT = { width: 1280, height: 900 }

describe('a lead setting up a project in the browser', () => {
  let ws: Workspace
  let page: Page

  beforeAll(async () => {
    ws = await startWorkspace(LEAD)
    await ws.api.request('POST', '/api/users', COLLEAGUE)
    page = await openSignedInPage(ws.browser, ws.server.url, LEAD, VIEWPORT)
  })

  afterAll(async () => {
    await ws?.close()
  })

  it('refuses a wrong password with a message', async () => {
    const other = await ws.browser.newPage()
    await submitSignIn(other, ws.server.url, { email: LEAD.email, password: 'not-the-password' })
    await other.getByTestId('login-error').waitFor()
    expect(await other.getByTestId('login-error').textContent()).toContain(
      'Wrong email or password',
    )
    await other.close()
  })

  it('creates a project with a label schema and lands on its page', async () => {
    await page.getByTestId('project-name').fill('Kitchens')
    const row = page.getByTestId('new-label-0')
    await row.getByLabel('Label name').fill('pot')
    await row.getByLabel('Hotkey').selectOption('3')
    await page.getByTestId('create-project-submit').click()
    await page.getByTestId('project-title').waitFor()
    expect(await page.getByTestId('project-title').textContent()).toBe('Kitchens')
    const labels = page.getByTestId('label-row')
    expect(await labels.count()).toBe(1)
    expect(await labels.first().getByLabel('Hotkey of pot').inputValue()).toBe('3')
  })

  it('puts the saved name back and says why when a rename is refused', async () => {
    const projectId = page.url().split('/projects/')[1] ?? ''
    const admin = await ApiClient.signIn(ws.server.url, LEAD.email, LEAD.password)
    await admin.request('POST', `/api/projects/${projectId}/labels`, { name: 'pan' })
    await page.reload()
    const name = page.getByLabel('Name of pot')
    await name.fill('pan')
    await name.press('Enter')
    await page.getByTestId('label-error').waitFor()
    await expect.poll(() => name.inputValue()).toBe('pot')
  })

  it('uploads several photos and lists the file it refused', async () => {
    const photos = readdirSync(PHOTOS)
      .filter((f) => f.endsWith('.jpg'))
      .slice(0, 2)
    await page.getByTestId('upload-files').setInputFiles([
      ...photos.map((f) => ({
        name: f,
        mimeType: 'image/jpeg',
        buffer: readFileSync(path.join(PHOTOS, f)),
      })),
      { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not an image') },
    ])
    await page.getByTestId('upload-summary').waitFor({ timeout: 30_000 })
    expect(await page.getByTestId('upload-summary').textContent()).toBe('2 of 3 files added.')
    expect(await page.getByTestId('upload-refusals').textContent()).toContain('notes.txt')
    await expect.poll(() => page.getByTestId('asset-tile').count()).toBe(2)
    expect(await page.getByTestId('asset-region-count').first().textContent()).toBe('0 regions')
  })

  it("uploads a picked folder keeping each file's path inside it", async () => {
    const folder = path.join(ws.dataDir, 'pick', 'site-a', 'day-1')
    mkdirSync(folder, { recursive: true })
    const photo = firstPhoto()
    copyFileSync(path.join(PHOTOS, photo), path.join(folder, 'frame.jpg'))
    await page.getByTestId('upload-folder').setInputFiles(path.join(ws.dataDir, 'pick', 'site-a'))
    await expect
      .poll(() => page.getByTestId('asset-tile').allTextContents(), { timeout: 30_000 })
      .toContainEqual(expect.stringContaining('site-a/day-1/frame.jpg'))
  })

  it('adds a member by email with a role', async () => {
    await page.getByTestId('member-email').fill(COLLEAGUE.email)
    await page.getByTestId('member-role').selectOption('reviewer')
    await page.getByTestId('member-add').click()
    await expect
      .poll(() => page.getByTestId('member-row').allTextContents())
      .toContainEqual(expect.stringContaining(`${COLLEAGUE.email} · reviewer`))
  })

  it('shows a reviewer export but not upload or import, and an annotator neither', async () => {
    const projectUrl = page.url()
    const projectId = projectUrl.split('/projects/')[1] ?? ''
    const admin = await ApiClient.signIn(ws.server.url, LEAD.email, LEAD.password)
    const annotator = { email: 'ann@example.com', name: 'Ann', password: 'ann-password-123' }
    await admin.request('POST', '/api/users', annotator)
    await admin.request('POST', `/api/projects/${projectId}/members`, {
      email: annotator.email,
      role: 'annotator',
    })

    const visible = async (who: { email: string; password: string }) => {
      const other = await openSignedInPage(ws.browser, ws.server.url, who, VIEWPORT)
      await other.goto(projectUrl)
      await other.getByTestId('project-title').waitFor()
      const seen = {
        upload: await other.getByTestId('upload-drop-zone').count(),
        import: await other.getByTestId('import-file').count(),
        export: await other.getByTestId('export-start').count(),
      }
      await other.context().close()
      return seen
    }
    expect(await visible(COLLEAGUE)).toEqual({ upload: 0, import: 0, export: 1 })
    expect(await visible(annotator)).toEqual({ upload: 0, import: 0, export: 0 })
  })

  it('creates an API token that is shown once and then listed by name', async () => {
    await page.getByTestId('token-name').fill('nightly import')
    await page.getByTestId('token-create').click()
    await page.getByTestId('token-once').waitFor()
    const token = (await page.getByTestId('token-once').locator('code').textContent()) ?? ''
    expect(token.length).toBeGreaterThan(16)
    const res = await fetch(`${ws.server.url}/api/auth/me`, {
      headers: { authorization: `Bearer ${token}` },
    })
    expect(res.status).toBe(200)
    await expect
      .poll(() => page.getByTestId('token-row').allTextContents())
      .toContainEqual(expect.stringContaining('nightly import'))
  })

  it('imports a COCO file as a job and shows what it brought in', async () => {
    const coco = path.resolve(PHOTOS, '../data_dataset_coco/annotations.json')
    await page.getByTestId('interchange-format').selectOption('coco')
    await page.getByTestId('import-file').setInputFiles(coco)
    const done = page.locator('[data-testid="job"][data-state="succeeded"]', {
      hasText: 'import',
    })
    await done.first().waitFor({ timeout: 60_000 })
    await expect
      .poll(() => page.getByTestId('import-result').first().textContent())
      .toMatch(/Imported \d+ images, [1-9]\d* regions/)
  })

  it('exports the project as COCO through a job and downloads the file', async () => {
    await page.getByTestId('export-start').click()
    const done = page.locator('[data-testid="job"][data-state="succeeded"]', {
      hasText: 'export',
    })
    await done.first().waitFor({ timeout: 60_000 })
    const download = page.waitForEvent('download')
    await done.first().getByTestId('job-download').click()
    const file = await (await download).path()
    const exported = JSON.parse(readFileSync(file, 'utf8')) as {
      images: unknown[]
      annotations: unknown[]
    }
    expect(exported.images.length).toBeGreaterThan(0)
    expect(exported.annotations.length).toBeGreaterThan(0)
  })

  it('uploads a long list in several requests and adds up what each stored', async () => {
    const photo = firstPhoto()
    const bytes = readFileSync(path.join(PHOTOS, photo))
    const before = await page.getByTestId('asset-tile').count()
    const posts: string[] = []
    const onRequest = (req: { method(): string; url(): string }) => {
      if (req.method() === 'POST' && req.url().endsWith('/assets')) posts.push(req.url())
    }
    page.on('request', onRequest)
    // 40 files is more than one request carries, so the list goes in two.
    const files = Array.from({ length: 40 }, (_, i) => ({
      name: `many-frame-${String(i).padStart(2, '0')}.jpg`,
      mimeType: 'image/jpeg',
      buffer: bytes,
    }))
    files.push({ name: 'many-readme.txt', mimeType: 'text/plain', buffer: Buffer.from('no') })
    await page.getByTestId('upload-files').setInputFiles(files)
    await expect
      .poll(() => page.getByTestId('upload-summary').textContent(), { timeout: 60_000 })
      .toBe('40 of 41 files added.')
    page.off('request', onRequest)
    expect(posts.length).toBe(2)
    expect(await page.getByTestId('upload-refusals').textContent()).toContain('many-readme.txt')
    await expect.poll(() => page.getByTestId('asset-tile').count()).toBe(before + 40)
  })

  it('lets an admin add a person on the projects page, who can then sign in', async () => {
    await page.goto(ws.server.url)
    const person = { email: 'dana@example.com', name: 'Dana', password: 'dana-password-123' }
    await page.getByTestId('user-email').fill(person.email)
    await page.getByTestId('user-name').fill(person.name)
    await page.getByTestId('user-password').fill(person.password)
    await page.getByTestId('user-create').click()
    await expect
      .poll(() => page.getByTestId('user-row').allTextContents())
      .toContainEqual(expect.stringContaining(person.email))
    const signedIn = await ApiClient.signIn(ws.server.url, person.email, person.password)
    expect(signedIn).toBeTruthy()
  })

  it('makes the sample project from the projects page', async () => {
    await page.goto(ws.server.url)
    await page.getByTestId('sample-project').click()
    await page.getByTestId('project-title').waitFor()
    await expect
      .poll(() => page.getByTestId('asset-tile').count(), { timeout: 30_000 })
      .toBeGreaterThan(0)
  })
})
