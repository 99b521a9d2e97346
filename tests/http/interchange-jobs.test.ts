import { readFile, mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { loadConfig, startServer, type RunningServer } from '@concord/server'
import { zipFileSet } from '@concord/shared/formats/zip'
import pino from 'pino'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const cocoDir = path.resolve(
  repoRoot,
  '../shared/data/labelme/examples/instance_segmentation/data_dataset_coco',
)
const ADMIN = { email: 'admin@example.com', password: 'http-jobs-password' }
/** Copies of the labelme photos per import: enough regions that a job is seen running. */
const COPIES = 150

let server: RunningServer
let dataDir: string
let cookie: string
let projectId: string
let bigCoco: string
let regionsInBig: number

type Job = {
  id: string
  state: string
  progress: { phase: string | null; done: number; total: number }
  summary: Record<string, any> | null
  result: { url: string; fileName: string } | null
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'concord-http-jobs-'))
  const config = loadConfig({
    PORT: '0',
    DATA_DIR: dataDir,
    WEB_DIST: path.join(dataDir, 'no-build'),
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
  })
  server = await startServer(config, { logger: pino({ level: 'silent' }) })
  const login = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(ADMIN),
  })
  cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
  projectId = (await post('/api/projects', { name: 'jobs over http' })).id

  // Many copies of the three photos under distinct names, and a COCO file naming all of them.
  const coco = JSON.parse(await readFile(path.join(cocoDir, 'annotations.json'), 'utf8'))
  const form = new FormData()
  const images = []
  const annotations = []
  for (let copy = 0; copy < COPIES; copy++) {
    for (const image of coco.images) {
      const id = copy * 100 + image.id
      const fileName = `copy${copy}/${path.posix.basename(image.file_name)}`
      images.push({ ...image, id, file_name: fileName })
      if (copy < 2) {
        const bytes = new Uint8Array(await readFile(path.join(cocoDir, image.file_name)))
        form.append('file', new Blob([bytes]), fileName)
      }
    }
    for (const ann of coco.annotations) {
      annotations.push({ ...ann, id: copy * 1000 + ann.id, image_id: copy * 100 + ann.image_id })
    }
  }
  await fetch(`${server.url}/api/projects/${projectId}/assets`, {
    method: 'POST',
    headers: { cookie, origin: server.url },
    body: form,
  })
  bigCoco = JSON.stringify({ ...coco, images, annotations })
  // Only the first two copies were uploaded; the rest are unmatched images, reported.
  regionsInBig = (annotations.length / COPIES) * 2
})
afterAll(async () => {
  await server.close()
  await rm(dataDir, { recursive: true, force: true })
})

async function post(p: string, body: unknown, type = 'application/json') {
  const res = await fetch(`${server.url}${p}`, {
    method: 'POST',
    headers: { cookie, origin: server.url, 'content-type': type },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
  return res.json()
}

async function getJob(id: string): Promise<Job> {
  const res = await fetch(`${server.url}/api/jobs/${id}`, { headers: { cookie } })
  return (await res.json()).job
}

/** Polls over HTTP until the job settles, keeping every state seen. */
async function poll(id: string): Promise<Job[]> {
  const seen: Job[] = []
  for (let i = 0; i < 1000; i++) {
    const job = await getJob(id)
    seen.push(job)
    if (['succeeded', 'failed', 'cancelled'].includes(job.state)) return seen
    await new Promise((r) => setTimeout(r, 5))
  }
  throw new Error('job did not settle')
}

describe('jobs over real HTTP', () => {
  it('shows an import job moving through its phases to the result, then exports it as a file', async () => {
    const { job } = await post(`/api/projects/${projectId}/import?format=coco&async=true`, bigCoco)
    const seen = await poll(job.id)
    const last = seen.at(-1)!
    expect(last.state).toBe('succeeded')
    expect(last.summary?.imported.regions).toBe(regionsInBig)
    // The first 20 unmatched images are listed, the rest counted in one more warning.
    const unmatched = last.summary?.warnings.filter(
      (w: { code: string }) => w.code === 'unmatched-image',
    )
    expect(unmatched).toHaveLength(21)
    expect(unmatched.at(-1).count).toBe((COPIES - 2) * 3 - 20)
    // Phases never go backwards: parse, match, write.
    const order = ['parse', 'match', 'write']
    const phases = seen.map((j) => j.progress.phase).filter((p): p is string => p !== null)
    const ranks = phases.map((p) => order.indexOf(p))
    expect(ranks.every((r) => r >= 0)).toBe(true)
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b))
    expect(last.progress.done).toBe(last.progress.total)

    const exported = await post(`/api/projects/${projectId}/exports`, { format: 'yolo' })
    const done = (await poll(exported.job.id)).at(-1)!
    expect(done.state).toBe('succeeded')
    const file = await fetch(`${server.url}${done.result!.url}`, { headers: { cookie } })
    expect(file.headers.get('content-type')).toBe('application/zip')
    expect(file.headers.get('content-disposition')).toContain(done.result!.fileName)
    const bytes = new Uint8Array(await file.arrayBuffer())
    expect([bytes[0], bytes[1]]).toEqual([0x50, 0x4b])
  })

  it('cancels a queued import and a running one over HTTP, leaving the project unchanged', async () => {
    const before = await projectState()
    // A zip of many small images keeps the first job in its parse phase (each image is sized)
    // long enough to act on it; the runner takes one job at a time, so the second waits queued.
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#808080' } })
      .png()
      .toBuffer()
    const files = new Map<string, Uint8Array>()
    for (let i = 0; i < 1500; i++) files.set(`many/${i}.png`, new Uint8Array(png))
    files.set('annotations.json', new TextEncoder().encode(bigCoco))
    const zip = zipFileSet(files)
    const first = await postBytes(`/api/projects/${projectId}/import?format=coco&async=true`, zip)
    const second = await post(`/api/projects/${projectId}/import?format=coco&async=true`, bigCoco)
    expect(second.job.state).toBe('queued')

    const cancelSecond = await cancel(second.job.id)
    expect(cancelSecond.status).toBe(200)
    expect((await cancelSecond.json()).job.state).toBe('cancelled')

    const running = await getJob(first.job.id)
    expect(running.state).toBe('running')
    expect(running.progress.phase).toBe('parse')
    const cancelFirst = await cancel(first.job.id)
    expect(cancelFirst.status).toBe(200)
    const stopped = (await cancelFirst.json()).job
    expect(stopped.state).toBe('cancelled')
    expect(stopped.progress.done).toBeLessThan(stopped.progress.total)

    expect(await projectState()).toEqual(before)
    const result = await fetch(`${server.url}/api/jobs/${first.job.id}/result`, {
      headers: { cookie },
    })
    // An import's answer is its summary, never a file, whatever its state.
    expect(result.status).toBe(404)
  })
})

async function cancel(id: string) {
  return fetch(`${server.url}/api/jobs/${id}/cancel`, {
    method: 'POST',
    headers: { cookie, origin: server.url },
  })
}

async function postBytes(p: string, body: Uint8Array) {
  const res = await fetch(`${server.url}${p}`, {
    method: 'POST',
    headers: { cookie, origin: server.url, 'content-type': 'application/zip' },
    body: body as Uint8Array<ArrayBuffer>,
  })
  return res.json()
}

/** The asset names and the region count: what an import would change. */
async function projectState() {
  const res = await fetch(`${server.url}/api/projects/${projectId}/assets`, { headers: { cookie } })
  const { assets } = await res.json()
  return {
    names: assets.map((a: { fileName: string }) => a.fileName),
    regions: assets.reduce((n: number, a: { regionCount: number }) => n + a.regionCount, 0),
  }
}
