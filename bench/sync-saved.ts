import { performance } from 'node:perf_hooks'
import * as Y from 'yjs'
import { addRegion, updateRegion } from '@concord/shared'
import { connect, percentiles, sleep, startConcord, whenSynced } from './sync-support.ts'

/**
 * Edit-to-saved on PGlite: a client makes an edit and times the `MESSAGE_SAVED` that covers it.
 * Once edits one at a time, then with three other clients editing at the same time.
 */
const EDITS = 300

const concord = await startConcord()
const params = { token: concord.token, saved: '1' }

async function run(label: string, busyClients: number) {
  const client = connect(concord.serverUrl, concord.room, params)
  const others = Array.from({ length: busyClients }, () =>
    connect(concord.serverUrl, concord.room, params),
  )
  await Promise.all([client, ...others].map(whenSynced))
  const id = addRegion(
    client.doc,
    { kind: 'bbox', labelId: 'car', geometry: { x: 0, y: 0, w: 5, h: 5 } },
    'c',
  )
  const timers = others.map((other, i) =>
    setInterval(() => {
      addRegion(
        other.doc,
        { kind: 'point', labelId: 'x', geometry: { x: i, y: Math.random() } },
        'o',
      )
    }, 4),
  )
  await sleep(100)
  const samples: number[] = []
  for (let i = 0; i < EDITS; i++) {
    updateRegion(client.doc, id, { geometry: { x: i, y: 0, w: 5, h: 5 } }, 'c')
    const clock = Y.decodeStateVector(Y.encodeStateVector(client.doc)).get(client.doc.clientID) ?? 0
    const start = performance.now()
    while (client.savedClock() < clock) await sleep(0.2)
    samples.push(performance.now() - start)
    await sleep(Math.random() * 10)
  }
  for (const timer of timers) clearInterval(timer)
  for (const c of [client, ...others]) c.provider.destroy()
  const p = percentiles(samples)
  console.log(`${label}: edit-to-saved p50 ${p.p50} ms, p99 ${p.p99} ms (${p.n} edits)`)
}

await run('one client editing', 0)
await run('with 3 clients editing every 4 ms', 3)
await concord.close()
process.exit(0)
