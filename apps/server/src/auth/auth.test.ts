import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ADMIN, createTestApp, type TestApp } from '../lib/testing.ts'
import { authenticateRequest } from './authenticate.ts'

let t: TestApp
let adminCookie: string

beforeAll(async () => {
  t = await createTestApp()
  adminCookie = await t.login(ADMIN.email, ADMIN.password)
})
afterAll(() => t.close())

describe('sign in', () => {
  it('creates the configured admin on first start and signs them in with a cookie', async () => {
    const res = await t.request('/api/auth/login', { json: ADMIN })
    expect(res.status).toBe(200)
    const cookie = res.headers.get('set-cookie') ?? ''
    expect(cookie).toMatch(/^concord_session=/)
    expect(cookie).toMatch(/HttpOnly/i)
    expect(cookie).toMatch(/SameSite=Lax/i)
    expect((await res.json()).user).toMatchObject({ email: ADMIN.email, isAdmin: true })
  })

  it('answers 401 invalid_credentials for a wrong password and an unknown email alike', async () => {
    for (const body of [
      { email: ADMIN.email, password: 'wrong-password' },
      { email: 'nobody@example.com', password: 'whatever-1' },
    ]) {
      const res = await t.request('/api/auth/login', { json: body })
      expect(res.status).toBe(401)
      expect((await res.json()).error.code).toBe('invalid_credentials')
    }
  })

  it('refuses a malformed login body with 400 naming the field', async () => {
    const res = await t.request('/api/auth/login', {
      json: { email: 42, password: 'x' },
    })
    expect(res.status).toBe(400)
    const { error } = await res.json()
    expect(error.code).toBe('invalid_body')
    expect(error.details.path).toEqual(['email'])
  })

  it('refuses a body that is not JSON with 400', async () => {
    const res = await t.request('/api/auth/login', {
      body: '{"email": ',
      headers: { 'content-type': 'application/json' },
    })
    expect(res.status).toBe(400)
    expect((await res.json()).error.code).toBe('invalid_body')
  })

  it('tells who is signed in, and 401 without a session', async () => {
    const me = await t.request('/api/auth/me', { cookie: adminCookie })
    expect((await me.json()).user.email).toBe(ADMIN.email)
    const anonymous = await t.request('/api/auth/me')
    expect(anonymous.status).toBe(401)
    expect((await anonymous.json()).error.code).toBe('unauthenticated')
  })

  it('ends the session on logout', async () => {
    const cookie = await t.login(ADMIN.email, ADMIN.password)
    expect((await t.request('/api/auth/logout', { method: 'POST', cookie })).status).toBe(204)
    expect((await t.request('/api/auth/me', { cookie })).status).toBe(401)
  })

  it('stops guessing after ten failures for one email, while other emails still sign in', async () => {
    const email = 'target@example.com'
    const statuses: number[] = []
    for (let i = 0; i < 11; i++) {
      const res = await t.request('/api/auth/login', { json: { email, password: `guess-${i}` } })
      statuses.push(res.status)
    }
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true)
    expect(statuses[10]).toBe(429)
    expect((await t.request('/api/auth/login', { json: ADMIN })).status).toBe(200)
  })
})

describe('API tokens', () => {
  it('creates a cct_ token shown once, which then authenticates as a bearer and as ?token=', async () => {
    const created = await t.request('/api/tokens', {
      json: { name: 'script' },
      cookie: adminCookie,
    })
    expect(created.status).toBe(201)
    const { id, token } = await created.json()
    expect(token).toMatch(/^cct_/)

    const me = await t.request('/api/auth/me', { token })
    expect((await me.json()).user.email).toBe(ADMIN.email)
    const user = await authenticateRequest(
      t.ctx.database.db,
      {},
      `/sync/x:consensus?token=${token}`,
    )
    expect(user?.email).toBe(ADMIN.email)

    const list = await (await t.request('/api/tokens', { token })).json()
    expect(list.tokens.map((x: { id: string }) => x.id)).toContain(id)
    expect(JSON.stringify(list)).not.toContain(token)

    expect((await t.request(`/api/tokens/${id}`, { method: 'DELETE', token })).status).toBe(204)
    expect((await t.request('/api/auth/me', { token })).status).toBe(401)
  })

  it('does not accept a made-up token', async () => {
    const res = await t.request('/api/auth/me', { token: 'cct_made-up' })
    expect(res.status).toBe(401)
  })
})

describe('CSRF', () => {
  it('refuses a cookie-authenticated write from another origin or with no origin', async () => {
    const foreign = await t.request('/api/projects', {
      json: { name: 'x' },
      cookie: adminCookie,
      headers: { origin: 'https://evil.example' },
    })
    expect(foreign.status).toBe(403)
    expect((await foreign.json()).error.code).toBe('csrf')

    const bare = await t.app.request('http://localhost/api/projects', {
      method: 'POST',
      headers: { cookie: adminCookie, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x' }),
    })
    expect(bare.status).toBe(403)
  })

  it('lets a same-origin cookie write and a bearer write without Origin through', async () => {
    const same = await t.request('/api/projects', {
      json: { name: 'same origin' },
      cookie: adminCookie,
    })
    expect(same.status).toBe(201)
    const viaTlsProxy = await t.request('/api/projects', {
      json: { name: 'behind a TLS proxy' },
      cookie: adminCookie,
      headers: { origin: 'https://localhost' },
    })
    expect(viaTlsProxy.status).toBe(201)
    const { token } = await (
      await t.request('/api/tokens', { json: {}, cookie: adminCookie })
    ).json()
    const bearer = await t.request('/api/projects', { json: { name: 'by token' }, token })
    expect(bearer.status).toBe(201)
  })
})

describe('users', () => {
  it('lets an admin create users and refuses a duplicate email with 409', async () => {
    const body = { email: 'Ann@Example.com', name: 'Ann', password: 'ann-password' }
    const res = await t.request('/api/users', { json: body, cookie: adminCookie })
    expect(res.status).toBe(201)
    expect((await res.json()).user).toMatchObject({ email: 'ann@example.com', isAdmin: false })
    const again = await t.request('/api/users', { json: body, cookie: adminCookie })
    expect(again.status).toBe(409)
    const ann = await t.login('ann@example.com', 'ann-password')
    const users = await t.request('/api/users', { cookie: ann })
    expect(users.status).toBe(403)
  })

  it('names the bad field of a user body', async () => {
    const res = await t.request('/api/users', {
      json: { email: 'b@example.com', name: 'B', password: 'short' },
      cookie: adminCookie,
    })
    expect(res.status).toBe(400)
    expect((await res.json()).error.details.path).toEqual(['password'])
  })
})
