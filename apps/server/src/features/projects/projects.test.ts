import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN, createTestApp, type TestApp } from '../../lib/testing.ts'

let t: TestApp
let admin: string
let lead: string
let annotator: string
let outsider: string
let projectId: string

async function makeUser(email: string): Promise<string> {
  const res = await t.request('/api/users', {
    json: { email, name: email.split('@')[0], password: 'password-123' },
    cookie: admin,
  })
  expect(res.status).toBe(201)
  return t.login(email, 'password-123')
}

beforeAll(async () => {
  t = await createTestApp()
  admin = await t.login(ADMIN.email, ADMIN.password)
  lead = await makeUser('lead@example.com')
  annotator = await makeUser('annotator@example.com')
  outsider = await makeUser('outsider@example.com')
  const res = await t.request('/api/projects', {
    json: {
      name: 'Streets',
      labels: [
        { name: 'car', hotkey: 1 },
        { name: 'person', color: '#00FF00' },
      ],
    },
    cookie: lead,
  })
  expect(res.status).toBe(201)
  projectId = (await res.json()).id
  const added = await t.request(`/api/projects/${projectId}/members`, {
    json: { email: 'annotator@example.com', role: 'annotator' },
    cookie: lead,
  })
  expect(added.status).toBe(201)
})
afterAll(() => t.close())

describe('projects', () => {
  it('makes the creator lead and gives labels default colours in schema order', async () => {
    const project = await (await t.request(`/api/projects/${projectId}`, { cookie: lead })).json()
    expect(project.role).toBe('lead')
    expect(project.labels.map((l: { name: string }) => l.name)).toEqual(['car', 'person'])
    expect(project.labels[0].color).toMatch(/^#[0-9a-f]{6}$/)
    expect(project.labels[1].color).toBe('#00ff00')
    expect(project.labels[0].hotkey).toBe(1)
  })

  it('lists a project for its members and for admins, not for others', async () => {
    const ids = async (cookie: string) =>
      (
        (await (await t.request('/api/projects', { cookie })).json()).projects as { id: string }[]
      ).map((p) => p.id)
    expect(await ids(annotator)).toContain(projectId)
    expect(await ids(admin)).toContain(projectId)
    expect(await ids(outsider)).not.toContain(projectId)
  })

  it('answers 404 to a non-member, so project ids cannot be probed', async () => {
    const res = await t.request(`/api/projects/${projectId}`, { cookie: outsider })
    expect(res.status).toBe(404)
    const assets = await t.request(`/api/projects/${projectId}/assets`, { cookie: outsider })
    expect(assets.status).toBe(404)
  })

  it('refuses an annotator adding a label with 403', async () => {
    const res = await t.request(`/api/projects/${projectId}/labels`, {
      json: { name: 'bike' },
      cookie: annotator,
    })
    expect(res.status).toBe(403)
    expect((await res.json()).error.code).toBe('forbidden')
  })

  it('lets a lead add, rename and recolour a label, keeping its id', async () => {
    const added = await t.request(`/api/projects/${projectId}/labels`, {
      json: { name: 'bike', kinds: ['bbox'] },
      cookie: lead,
    })
    expect(added.status).toBe(201)
    const label = await added.json()
    const patched = await t.request(`/api/projects/${projectId}/labels/${label.id}`, {
      method: 'PATCH',
      json: { name: 'bicycle', color: '#123456' },
      cookie: lead,
    })
    expect(patched.status).toBe(200)
    expect(await patched.json()).toEqual({ ...label, name: 'bicycle', color: '#123456' })
  })

  it('refuses a second label with a taken name or hotkey with 409', async () => {
    const name = await t.request(`/api/projects/${projectId}/labels`, {
      json: { name: 'car' },
      cookie: lead,
    })
    expect(name.status).toBe(409)
    const hotkey = await t.request(`/api/projects/${projectId}/labels`, {
      json: { name: 'truck', hotkey: 1 },
      cookie: lead,
    })
    expect(hotkey.status).toBe(409)
  })

  it('names the bad field of a label body', async () => {
    const res = await t.request(`/api/projects/${projectId}/labels`, {
      json: { name: 'van', color: 'red' },
      cookie: lead,
    })
    expect(res.status).toBe(400)
    expect((await res.json()).error.details.path).toEqual(['color'])
    const nested = await t.request('/api/projects', {
      json: { name: 'p', labels: [{ name: 'a' }, { name: 'b', hotkey: 12 }] },
      cookie: lead,
    })
    expect(nested.status).toBe(400)
    expect((await nested.json()).error.details.path).toEqual(['labels', 1, 'hotkey'])
  })

  it('lists members with roles; only a lead adds them', async () => {
    const members = await (
      await t.request(`/api/projects/${projectId}/members`, { cookie: annotator })
    ).json()
    const roles = Object.fromEntries(
      members.members.map((m: { email: string; role: string }) => [m.email, m.role]),
    )
    expect(roles).toEqual({ 'annotator@example.com': 'annotator', 'lead@example.com': 'lead' })
    const refused = await t.request(`/api/projects/${projectId}/members`, {
      json: { email: 'outsider@example.com', role: 'lead' },
      cookie: annotator,
    })
    expect(refused.status).toBe(403)
  })
})
