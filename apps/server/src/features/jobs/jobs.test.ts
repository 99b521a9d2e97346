import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { jobs as jobsTable } from '../../db/schema.ts'
import { newId } from '../../lib/ids.ts'
import { ADMIN, createTestApp, type TestApp } from '../../lib/testing.ts'
import { checkCancelled } from '../interchange/control.ts'
import { findJobRow } from './queries.ts'
import { jobRunner, startJobs } from './runner.ts'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../..')
const cocoDir = path.resolve(
  repoRoot,
  '../shared/data/labelme/examples/instance_segmentation/data_dataset_coco',
)

let t: TestApp
let lead: string
let cocoText: string
let coco: { images: { file_name: string }[]; annotations: unknown[] }
let projectId: string

beforeAll(async () => {
  t = await createTestApp()
  lead = await t.login(ADMIN.email, ADMIN.password)
  cocoText = await readFile(path.join(cocoDir, 'annotations.json'), 'utf8')
  coco = JSON.parse(cocoText)
  projectId = (
    await (await t.request('/api/projects', { json: { name: 'Jobs' }, cookie: lead })).json()
  ).id
  const form = new FormData()
  for (const image of coco.images) {
    const bytes = new Uint8Array(await readFile(path.join(cocoDir, image.file_name)))
    form.append('file', new Blob([bytes]), image.file_name)
  }
  await t.request(`/api/projects/${projectId}/assets`, { method: 'POST', body: form, cookie: lead })
})
afterAll(() => t.close())

type JobJson = {
  id: string
  state: string
  progress: { phase: string | null; done: number; total: number }
  summary: Record<string, any> | null
  error: Record<string, any> | null
  result: { url: string; fileName: string; mediaType: string } | null
}

async function waitFor(
  jobId: string,
  states = ['succeeded', 'failed', 'cancelled'],
): Promise<JobJson> {
  for (let i = 0; i < 400; i++) {
    const { job } = await (await t.request(`/api/jobs/${jobId}`, { cookie: lead })).json()
    if (states.includes(job.state)) return job
    await new Promise((r) => setTimeout(r, 25))
  }
  throw new Error(`job ${jobId} did not reach ${states.join('/')}`)
}

/** Holds the runner busy until the returned function is called, so later jobs stay queued. */
async function occupyRunner(): Promise<{ release: () => void; id: string }> {
  let release = () => {}
  const gate = new Promise<void>((resolve) => (release = resolve))
  const row = await jobRunner(t.ctx).submit(
    { projectId, userId: null, kind: 'export', format: 'coco' },
    async () => {
      await gate
      return { summary: {} }
    },
  )
  return { release, id: row.id }
}

async function regionTotal(): Promise<number> {
  await t.ctx.documents.flush()
  const { assets } = await (
    await t.request(`/api/projects/${projectId}/assets`, { cookie: lead })
  ).json()
  return assets.reduce((sum: number, a: { regionCount: number }) => sum + a.regionCount, 0)
}

describe('import and export jobs', () => {
  it('runs an async import to the same answer as the synchronous route, ending in the write phase', async () => {
    const res = await t.request(
      `/api/projects/${projectId}/import?format=coco&async=true&mode=replace`,
      {
        body: cocoText,
        headers: { 'content-type': 'application/json' },
        cookie: lead,
      },
    )
    expect(res.status).toBe(202)
    const { job } = await res.json()
    expect(job).toMatchObject({ kind: 'import', format: 'coco' })
    const done = await waitFor(job.id)
    expect(done.state).toBe('succeeded')
    expect(done.summary?.imported).toMatchObject({
      images: coco.images.length,
      regions: coco.annotations.length,
    })
    expect(done.progress.phase).toBe('write')
    expect(done.progress.done).toBe(done.progress.total)
    expect(await regionTotal()).toBe(coco.annotations.length)
  })

  it('runs an export job whose file parses to what the synchronous export answers', async () => {
    const res = await t.request(`/api/projects/${projectId}/exports`, {
      json: { format: 'coco' },
      cookie: lead,
    })
    expect(res.status).toBe(202)
    const done = await waitFor((await res.json()).job.id)
    expect(done.state).toBe('succeeded')
    expect(done.result?.fileName).toMatch(/\.json$/)
    expect(done.summary?.report).toHaveProperty('lossiness')
    const file = await t.request(done.result!.url, { cookie: lead })
    expect(file.headers.get('content-disposition')).toMatch(/attachment/)
    const direct = await t.request(`/api/projects/${projectId}/export?format=coco`, {
      cookie: lead,
    })
    expect(await file.json()).toEqual(await direct.json())
  })

  it('fails a job on a malformed file with the error the synchronous route gives, writing nothing', async () => {
    const before = await regionTotal()
    const broken = JSON.parse(cocoText)
    broken.annotations[1].bbox = 'wide'
    const res = await t.request(`/api/projects/${projectId}/import?format=coco&async=1`, {
      body: JSON.stringify(broken),
      headers: { 'content-type': 'application/json' },
      cookie: lead,
    })
    const done = await waitFor((await res.json()).job.id)
    expect(done.state).toBe('failed')
    expect(done.error).toMatchObject({ code: 'invalid_format' })
    expect(done.error?.details.where).toContain('annotations[1]')
    expect(await regionTotal()).toBe(before)
  })

  it('cancels a queued import, leaving the project unchanged', async () => {
    const before = await regionTotal()
    const busy = await occupyRunner()
    const res = await t.request(`/api/projects/${projectId}/import?format=coco&async=true`, {
      body: cocoText,
      headers: { 'content-type': 'application/json' },
      cookie: lead,
    })
    const { job } = await res.json()
    expect(job.state).toBe('queued')
    const cancel = await t.request(`/api/jobs/${job.id}/cancel`, { method: 'POST', cookie: lead })
    expect(cancel.status).toBe(200)
    expect((await cancel.json()).job.state).toBe('cancelled')
    busy.release()
    await waitFor(busy.id)
    expect(await regionTotal()).toBe(before)
    const again = await t.request(`/api/jobs/${job.id}/cancel`, { method: 'POST', cookie: lead })
    expect(again.status).toBe(409)
  })

  it('cancels a running job at its next check, and refuses to cancel one that is writing', async () => {
    let reachedParse = () => {}
    const parsing = new Promise<void>((r) => (reachedParse = r))
    const running = await jobRunner(t.ctx).submit(
      { projectId, userId: null, kind: 'export', format: 'coco' },
      async (control) => {
        for (let i = 0; ; i++) {
          control.progress('convert', i, 1_000_000)
          reachedParse()
          await new Promise((r) => setTimeout(r, 5))
          checkCancelled(control)
        }
      },
    )
    await parsing
    const cancel = await t.request(`/api/jobs/${running.id}/cancel`, {
      method: 'POST',
      cookie: lead,
    })
    expect((await cancel.json()).job.state).toBe('cancelled')

    let letWriteFinish = () => {}
    const writeGate = new Promise<void>((r) => (letWriteFinish = r))
    let wrote = () => {}
    const writing = new Promise<void>((r) => (wrote = r))
    const writer = await jobRunner(t.ctx).submit(
      { projectId, userId: null, kind: 'import', format: 'coco' },
      async (control) => {
        control.beginWrite()
        control.progress('write', 0, 1)
        wrote()
        await writeGate
        return { summary: { imported: {} } }
      },
    )
    await writing
    const refused = await t.request(`/api/jobs/${writer.id}/cancel`, {
      method: 'POST',
      cookie: lead,
    })
    expect(refused.status).toBe(409)
    letWriteFinish()
    expect((await waitFor(writer.id)).state).toBe('succeeded')
  })

  it('answers 409 to a cancel that came too late: the job ended before its next check', async () => {
    let started = () => {}
    const running = new Promise<void>((r) => (started = r))
    const job = await jobRunner(t.ctx).submit(
      { projectId, userId: null, kind: 'export', format: 'coco' },
      async (control) => {
        control.progress('convert', 0, 1)
        started()
        // Work that never reaches a cancellation point before it ends.
        await new Promise((r) => setTimeout(r, 50))
        return { summary: { report: {} } }
      },
    )
    await running
    const late = await t.request(`/api/jobs/${job.id}/cancel`, { method: 'POST', cookie: lead })
    expect(late.status).toBe(409)
    expect((await late.json()).error.message).toMatch(/already succeeded/)
  })

  it('lists jobs newest first and hides them from people without the role', async () => {
    const { jobs } = await (
      await t.request(`/api/projects/${projectId}/jobs`, { cookie: lead })
    ).json()
    expect(jobs.length).toBeGreaterThan(3)
    const times = jobs.map((j: { createdAt: string }) => j.createdAt)
    expect(times).toEqual([...times].sort().reverse())

    await t.request('/api/users', {
      json: { email: 'annie@example.com', name: 'Annie', password: 'password-123' },
      cookie: lead,
    })
    await t.request(`/api/projects/${projectId}/members`, {
      json: { email: 'annie@example.com', role: 'annotator' },
      cookie: lead,
    })
    const annie = await t.login('annie@example.com', 'password-123')
    expect((await t.request(`/api/projects/${projectId}/jobs`, { cookie: annie })).status).toBe(403)
    expect((await t.request(`/api/jobs/${jobs[0].id}`, { cookie: annie })).status).toBe(403)
    const exportJob = await t.request(`/api/projects/${projectId}/exports`, {
      json: { format: 'coco' },
      cookie: annie,
    })
    expect(exportJob.status).toBe(403)
  })

  it('marks jobs a stopped server left running as failed at start-up', async () => {
    const id = newId()
    await t.ctx.database.db
      .insert(jobsTable)
      .values({ id, projectId, userId: null, kind: 'export', format: 'yolo', state: 'running' })
    await startJobs(t.ctx)
    const row = await findJobRow(t.ctx.database.db, id)
    expect(row?.state).toBe('failed')
    expect(row?.error?.message).toMatch(/restarted/)
  })

  it('documents every job route and the import 202 in OpenAPI', async () => {
    const doc = await (await t.request('/api/openapi.json')).json()
    expect(doc.paths['/api/projects/{projectId}/exports'].post.responses).toHaveProperty('202')
    expect(doc.paths['/api/projects/{projectId}/import'].post.responses).toHaveProperty('202')
    for (const [p, method] of [
      ['/api/projects/{projectId}/jobs', 'get'],
      ['/api/jobs/{jobId}', 'get'],
      ['/api/jobs/{jobId}/cancel', 'post'],
      ['/api/jobs/{jobId}/result', 'get'],
    ] as const) {
      expect(doc.paths[p]?.[method], `${method} ${p}`).toBeDefined()
    }
    const importQuery = doc.paths['/api/projects/{projectId}/import'].post.parameters.map(
      (q: { name: string }) => q.name,
    )
    expect(importQuery).toEqual(expect.arrayContaining(['mode', 'run', 'async']))
  })
})
