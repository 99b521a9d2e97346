import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN, createTestApp, type TestApp } from './lib/testing.ts'

let t: TestApp
let admin: string

beforeAll(async () => {
  t = await createTestApp()
  admin = await t.login(ADMIN.email, ADMIN.password)
})
afterAll(() => t.close())

describe('the app', () => {
  it('answers health without sign-in', async () => {
    const res = await t.request('/api/health')
    expect(await res.json()).toMatchObject({ ok: true, version: expect.any(String) })
  })

  it('answers unknown API paths with a JSON 404 and a request id', async () => {
    const res = await t.request('/api/nothing/here', { cookie: admin })
    expect(res.status).toBe(404)
    expect((await res.json()).error.code).toBe('not_found')
    expect(res.headers.get('x-request-id')).toMatch(/\S+/)
  })

  it('shows a page saying how to build the web app when the build is missing', async () => {
    const res = await t.request('/projects/123')
    expect(res.status).toBe(503)
    expect(await res.text()).toContain('pnpm --filter @concord/web build')
  })

  it('serves files of the web build and index.html for client routes, never files outside it', async () => {
    const dist = t.ctx.config.webDist
    await mkdir(path.join(dist, 'assets'), { recursive: true })
    await writeFile(path.join(dist, 'index.html'), '<!doctype html><title>Concord</title>')
    await writeFile(path.join(dist, 'assets', 'app-1a2b.js'), 'console.log(1)')
    await writeFile(path.join(path.dirname(dist), 'secret.txt'), 'secret')

    const script = await t.request('/assets/app-1a2b.js')
    expect(script.headers.get('content-type')).toContain('javascript')
    expect(script.headers.get('cache-control')).toContain('immutable')
    const route = await t.request('/projects/abc/assets')
    expect(route.status).toBe(200)
    expect(await route.text()).toContain('<title>Concord</title>')
    const escape = await t.request('/..%2Fsecret.txt')
    expect(await escape.text()).not.toContain('secret')
    expect((await t.request('/missing.js')).status).toBe(404)
  })

  it('describes every route in OpenAPI 3.1, with request schemas from zod', async () => {
    const doc = await (await t.request('/api/openapi.json')).json()
    expect(doc.openapi).toBe('3.1.0')
    const routes = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(
      ([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`),
    )
    for (const route of [
      'POST /api/auth/login',
      'GET /api/projects/{projectId}',
      'PATCH /api/projects/{projectId}/labels/{labelId}',
      'POST /api/projects/{projectId}/assets',
      'POST /api/projects/{projectId}/import',
      'GET /api/projects/{projectId}/export',
      'POST /api/sample-project',
    ]) {
      expect(routes).toContain(route)
    }
    const login = doc.paths['/api/auth/login'].post.requestBody.content['application/json'].schema
    expect(login.required).toEqual(expect.arrayContaining(['email', 'password']))
  })
})
