import { mkdtemp, rm } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { Writable } from 'node:stream'
import { loadConfig, startServer, type RunningServer } from '@concord/server'
import pino from 'pino'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const ADMIN = { email: 'admin@example.com', password: 'http-test-password' }

let server: RunningServer
let dataDir: string
const lines: Record<string, unknown>[] = []

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'concord-http-'))
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line))
      done()
    },
  })
  const config = loadConfig({
    PORT: '0',
    DATA_DIR: dataDir,
    WEB_DIST: path.join(dataDir, 'no-build'),
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
  })
  server = await startServer(config, { logger: pino({ level: 'info' }, sink) })
})
afterAll(async () => {
  await server.close()
  await rm(dataDir, { recursive: true, force: true })
})

async function signIn(): Promise<string> {
  const res = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(ADMIN),
  })
  expect(res.status).toBe(200)
  return (res.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
}

describe('the server process over real HTTP', () => {
  it('logs one listening line with its port', () => {
    const listening = lines.filter((l) => l.msg === 'listening')
    expect(listening).toHaveLength(1)
    expect(listening[0]?.port).toBe(server.port)
  })

  it('signs in with a cookie and refuses that cookie on a write from another origin', async () => {
    const cookie = await signIn()
    const write = (origin: string) =>
      fetch(`${server.url}/api/projects`, {
        method: 'POST',
        headers: { cookie, origin, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'over http' }),
      })
    expect((await write('https://evil.example')).status).toBe(403)
    expect((await write(server.url)).status).toBe(201)
  })

  it('keeps the relative path a multipart file name carries over the wire', async () => {
    const cookie = await signIn()
    const headers = { cookie, origin: server.url }
    const project = await (
      await fetch(`${server.url}/api/projects`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'paths' }),
      })
    ).json()
    const png = await sharp({
      create: { width: 8, height: 6, channels: 3, background: '#808080' },
    })
      .png()
      .toBuffer()
    const form = new FormData()
    form.append('file', new Blob([new Uint8Array(png)]), 'train/images/a.png')
    const res = await fetch(`${server.url}/api/projects/${project.id}/assets`, {
      method: 'POST',
      headers,
      body: form,
    })
    expect(res.status).toBe(201)
    const body = await res.json()
    expect(body.assets[0]).toMatchObject({ fileName: 'train/images/a.png', width: 8, height: 6 })
    const logged = lines.find((l) => l.path === `/api/projects/${project.id}/assets`)
    expect(logged).toMatchObject({ status: 201, method: 'POST' })
    expect(JSON.stringify(lines)).not.toContain(ADMIN.password)
  })
})
