import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { launchBrowser } from './browser.ts'
import { ApiClient } from './http-client.ts'
import { repoRoot, startServerProcess, type ServerProcess } from './server-process.ts'
import { ensureWebBuild } from './web-build.ts'

/** Real photos (LabelMe's example set) that browser tests upload as assets. */
export const PHOTOS = path.resolve(
  repoRoot,
  '../shared/data/labelme/examples/instance_segmentation/data_annotated',
)

/** The page size browser tests use unless a test needs another. */
export const VIEWPORT = { width: 1280, height: 800 }

/** Someone who signs in with a password. */
export type Credentials = { email: string; password: string }

type Point = { x: number; y: number }

/**
 * A real server process on a fresh data folder, an API session as its first admin and a
 * headless Chromium: what every browser test starts from.
 */
export type Workspace = {
  /** The running server; after `relaunchServer` the new one. */
  readonly server: ServerProcess
  /** Signed in as the admin the server was started with. */
  api: ApiClient
  browser: Browser
  dataDir: string
  /** Starts a server again on the same data folder, e.g. on the port a stopped one had. */
  relaunchServer(port: number): Promise<ServerProcess>
  /** Closes the browser, stops the server and removes the data folder. */
  close(): Promise<void>
}

/** Builds the web app if stale, then starts a server with `admin` as its first user. */
export async function startWorkspace(admin: Credentials): Promise<Workspace> {
  ensureWebBuild()
  const dataDir = mkdtempSync(path.join(tmpdir(), 'concord-e2e-'))
  const start = (env?: Record<string, string>) =>
    startServerProcess({
      dataDir,
      adminEmail: admin.email,
      adminPassword: admin.password,
      ...(env ? { env } : {}),
    })
  let server: ServerProcess | undefined
  let browser: Browser | undefined
  const close = async () => {
    await browser?.close()
    server?.kill('SIGTERM')
    await server?.exited
    rmSync(dataDir, { recursive: true, force: true })
  }

  try {
    server = await start()
    const api = await ApiClient.signIn(server.url, admin.email, admin.password)
    browser = await launchBrowser()
    return {
      get server() {
        return server!
      },
      api,
      browser,
      dataDir,
      relaunchServer: async (port) => (server = await start({ PORT: String(port) })),
      close,
    }
  } catch (error) {
    // Vitest still runs afterAll, but it has no workspace to close, so clean up here.
    await close()
    throw error
  }
}

/** The name of the first JPEG in `PHOTOS`. */
export function firstPhoto(): string {
  const photo = readdirSync(PHOTOS).find((f) => f.endsWith('.jpg'))
  if (!photo) throw new Error(`no photo in ${PHOTOS}`)
  return photo
}

/**
 * Uploads the first photo to a project over the API, under `name` (a path, or one made from the
 * photo's file name; by default that file name), and returns the asset the server made of it.
 */
export async function uploadPhoto<T extends { id: string } = { id: string }>(
  api: ApiClient,
  projectId: string,
  name?: string | ((photo: string) => string),
): Promise<T> {
  const photo = firstPhoto()
  const form = new FormData()
  form.append(
    'file',
    new Blob([readFileSync(path.join(PHOTOS, photo))], { type: 'image/jpeg' }),
    typeof name === 'function' ? name(photo) : (name ?? photo),
  )
  const { assets } = await api.request<{ assets: T[] }>(
    'POST',
    `/api/projects/${projectId}/assets`,
    form,
  )
  const asset = assets[0]
  if (!asset) throw new Error('the upload made no asset')
  return asset
}

/** Fills in and submits the sign-in form, without waiting for the outcome. */
export async function submitSignIn(page: Page, baseUrl: string, user: Credentials) {
  await page.goto(baseUrl)
  await page.getByTestId('login-email').fill(user.email)
  await page.getByTestId('login-password').fill(user.password)
  await page.getByTestId('login-submit').click()
}

/** Signs in on the page and waits until the app shows who is signed in. */
export async function signIn(page: Page, baseUrl: string, user: Credentials) {
  await submitSignIn(page, baseUrl, user)
  await page.getByTestId('current-user').waitFor()
}

/** A page in a browser context of its own (its own cookies and storage), signed in as `user`. */
export async function openSignedInPage(
  browser: Browser,
  baseUrl: string,
  user: Credentials,
  viewport = VIEWPORT,
): Promise<Page> {
  const context = await browser.newContext({ viewport })
  const page = await context.newPage()
  await signIn(page, baseUrl, user)
  return page
}

/** Opens an asset's annotation page and waits until the canvas has drawn at least once. */
export async function openAsset(page: Page, baseUrl: string, assetId: string) {
  await page.goto(`${baseUrl}/assets/${assetId}`)
  await page.getByTestId('canvas-container').locator('canvas').waitFor()
  await page.waitForFunction(() => (window.__concord?.editor.probe.renders ?? 0) > 0)
}

/** A page of `user`'s own, signed in and on the asset once its canvas has drawn. */
export async function openAssetAs(ws: Workspace, user: Credentials, assetId: string) {
  const page = await openSignedInPage(ws.browser, ws.server.url, user)
  await openAsset(page, ws.server.url, assetId)
  return page
}

/** The canvas container's box on the page. */
export async function canvasBox(page: Page) {
  const box = await page.getByTestId('canvas-container').boundingBox()
  if (!box) throw new Error('canvas container has no box')
  return box
}

/** Page coordinates of an image pixel under the editor's current view. */
export async function toPage(page: Page, x: number, y: number): Promise<Point> {
  const box = await page.getByTestId('canvas-container').boundingBox()
  const view = await page.evaluate(() => window.__concord?.editor.viewTransform)
  if (!box || !view) throw new Error('no canvas')
  return { x: box.x + view.x + x * view.scale, y: box.y + view.y + y * view.scale }
}

/**
 * Presses the mouse at the first page point, moves through the others in `steps` moves each (so
 * tools see intermediate frames) and releases at the last.
 */
export async function dragThrough(page: Page, points: Point[], steps: number) {
  const [first, ...rest] = points
  if (!first) throw new Error('a drag needs at least one point')
  await page.mouse.move(first.x, first.y)
  await page.mouse.down()
  for (const p of rest) await page.mouse.move(p.x, p.y, { steps })
  await page.mouse.up()
}

/** Drags from one image pixel to another. */
export async function drag(page: Page, from: [number, number], to: [number, number]) {
  await dragThrough(page, [await toPage(page, ...from), await toPage(page, ...to)], 6)
}

/** Clicks an image pixel. */
export async function clickAt(page: Page, x: number, y: number) {
  const p = await toPage(page, x, y)
  await page.mouse.click(p.x, p.y)
}

/** The regions of the open document, as the page reads them. */
export function readRegions(page: Page) {
  return page.evaluate(() => window.__concord?.readRegions() ?? [])
}
