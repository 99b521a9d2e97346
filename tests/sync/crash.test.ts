import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { addRegion, readRegions } from '@concord/shared'
import { createProjectWithImage, createToken } from '../support/api.ts'
import { startServerProcess, type ServerProcess } from '../support/server-process.ts'
import {
  connectClient,
  createRandom,
  editAtRandom,
  sameState,
  waitFor,
  type SyncClient,
} from '../support/sync-harness.ts'

const ADMIN = { email: 'crash-admin@example.com', password: 'crash-password' }
/** How often each client edits while the server runs: faster than the batch window. */
const EDIT_EVERY_MS = 3

/**
 * A real server process is killed while three clients edit. Whatever it reported saved must be
 * there after a restart on the same data; the clients then re-send the rest and converge.
 */
describe('sync across a server crash', () => {
  const dirs: string[] = []
  const servers: ServerProcess[] = []
  const clients: SyncClient[] = []

  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy()
    for (const server of servers.splice(0)) {
      server.kill('SIGKILL')
      await server.exited
    }
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
  })

  const start = async (dataDir: string, port = 0) => {
    const server = await startServerProcess({
      dataDir,
      adminEmail: ADMIN.email,
      adminPassword: ADMIN.password,
      env: { PORT: String(port) },
    })
    servers.push(server)
    return server
  }

  const setUp = async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'concord-crash-'))
    dirs.push(dataDir)
    const server = await start(dataDir)
    const token = await createToken(server.url, ADMIN.email, ADMIN.password)
    const { document } = await createProjectWithImage(server.url, token)
    const serverUrl = `ws://127.0.0.1:${server.port}/sync`
    const open = () => {
      const client = connectClient({ serverUrl }, document, { id: 'admin' }, { token })
      clients.push(client)
      return client
    }
    return { dataDir, server, token, document, serverUrl, open }
  }

  it('keeps every edit it reported saved through SIGKILL, and clients converge after restart', async () => {
    const { dataDir, server, document, open } = await setUp()
    const editors = [open(), open(), open()]
    await Promise.all(editors.map((c) => c.synced()))

    const timers = editors.map((client, i) => {
      const random = createRandom(1000 + i)
      let n = 0
      return setInterval(
        () => editAtRandom(client.doc, `user${i}`, random, `${i}-${n++}`),
        EDIT_EVERY_MS,
      )
    })
    await waitFor(() => editors.every((c) => (c.saved()?.get(c.doc.clientID) ?? 0) > 20), 'saves')
    await new Promise((resolve) => setTimeout(resolve, 100))

    for (const timer of timers) clearInterval(timer)
    // One more edit each in the same tick as the kill: the server cannot have saved these, so
    // the test always covers edits in flight, whatever the timing of the ones before.
    editors.forEach((client, i) => {
      const geometry = { x: i, y: i }
      addRegion(client.doc, { id: `in-flight-${i}`, kind: 'point', labelId: 'x', geometry }, 'k')
    })
    server.kill('SIGKILL')
    const savedClocks = editors.map((c) => c.saved()?.get(c.doc.clientID) ?? 0)
    for (const client of editors) client.provider.disconnect()
    expect((await server.exited).signal).toBe('SIGKILL')
    // The kill must have caught edits in flight, or the test proves nothing about them.
    const unsaved = editors.filter((c) => !c.isSaved())
    expect(unsaved.length).toBeGreaterThan(0)

    await start(dataDir, server.port)
    const probe = open()
    await probe.synced()
    const stored = Y.decodeStateVector(Y.encodeStateVector(probe.doc))
    editors.forEach((client, i) => {
      expect(stored.get(client.doc.clientID) ?? 0).toBeGreaterThanOrEqual(savedClocks[i] ?? 0)
    })

    for (const client of editors) client.provider.connect()
    await waitFor(
      () => editors.every((c) => c.isSaved() && sameState(c.doc, probe.doc)),
      'clients re-send unsaved edits and converge',
      30_000,
    )
    const regions = readRegions(probe.doc)
    for (const client of editors) expect(readRegions(client.doc)).toEqual(regions)
    expect(document).toMatch(/:consensus$/)
  })

  it('flushes on SIGTERM and exits 0 with every edit it had received', async () => {
    const { dataDir, server, open } = await setUp()
    const [a, b] = [open(), open()]
    await Promise.all([a.synced(), b.synced()])
    const random = createRandom(7)
    for (let i = 0; i < 200; i++) editAtRandom(a.doc, 'a', random, `t${i}`)
    // Once b has everything, the server has applied it; it may not have saved it yet.
    await waitFor(() => sameState(a.doc, b.doc), 'b receives a’s edits')

    server.kill('SIGTERM')
    a.provider.disconnect()
    b.provider.disconnect()
    expect(await server.exited).toEqual({ code: 0, signal: null })

    await start(dataDir, server.port)
    const probe = open()
    await probe.synced()
    expect(sameState(probe.doc, a.doc)).toBe(true)
    expect(readRegions(probe.doc)).toEqual(readRegions(a.doc))
  })
})
