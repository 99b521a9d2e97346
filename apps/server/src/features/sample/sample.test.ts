import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN, createTestApp, type TestApp } from '../../lib/testing.ts'
import { sampleScenes } from './shapes.ts'

let t: TestApp
let cookie: string

beforeAll(async () => {
  t = await createTestApp()
  cookie = await t.login(ADMIN.email, ADMIN.password)
})
afterAll(() => t.close())

describe('sample project', () => {
  it('makes a project of generated images, labels and regions, led by the caller', async () => {
    const res = await t.request('/api/sample-project', { method: 'POST', cookie })
    expect(res.status).toBe(201)
    const project = await res.json()
    expect(project.role).toBe('lead')
    expect(project.labels.map((l: { name: string }) => l.name)).toEqual([
      'circle',
      'square',
      'triangle',
    ])

    await t.ctx.documents.flush()
    const { assets } = await (
      await t.request(`/api/projects/${project.id}/assets`, { cookie })
    ).json()
    const scenes = sampleScenes()
    expect(assets.map((a: { fileName: string }) => a.fileName)).toEqual(
      scenes.map((s) => s.fileName),
    )
    expect(assets.map((a: { regionCount: number }) => a.regionCount)).toEqual(
      scenes.map((s) => s.regions.length),
    )
    const image = await t.request(assets[0].imageUrl, { cookie })
    expect(image.headers.get('content-type')).toBe('image/png')
  })
})
