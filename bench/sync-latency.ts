import { performance } from 'node:perf_hooks'
import { addRegion, getRegionsMap, updateRegion } from '@concord/shared'
import {
  connect,
  percentiles,
  sleep,
  startConcord,
  startReference,
  whenSynced,
  type BenchClient,
} from './sync-support.ts'

/**
 * Edit-to-remote latency: one client moves a region, every other client on the document times
 * its arrival. Concord (saving every update to PGlite) against the reference y-websocket server
 * (memory only), both in this process, with the same clients.
 */
const EDITS = 150
const CLIENT_COUNTS = [2, 10, 50]

async function measure(serverUrl: string, room: string, params: Record<string, string>, n: number) {
  const clients: BenchClient[] = Array.from({ length: n }, () => connect(serverUrl, room, params))
  await Promise.all(clients.map(whenSynced))
  const writer = clients[0]!
  if (!getRegionsMap(writer.doc).has('r')) {
    addRegion(
      writer.doc,
      { id: 'r', kind: 'bbox', labelId: 'car', geometry: { x: 0, y: 0, w: 9, h: 9 } },
      'w',
    )
  }
  await sleep(200)

  const samples: number[] = []
  let sentAt = 0
  let expected = -1
  let arrived = 0
  let allArrived: () => void = () => undefined
  for (const client of clients.slice(1)) {
    getRegionsMap(client.doc).observeDeep(() => {
      const geometry = getRegionsMap(client.doc).get('r')?.get('geometry') as
        { x?: number } | undefined
      if (geometry?.x !== expected) return
      samples.push(performance.now() - sentAt)
      if (++arrived === n - 1) allArrived()
    })
  }
  for (let i = 1; i <= EDITS; i++) {
    const done = new Promise<void>((resolve) => (allArrived = resolve))
    expected = i
    arrived = 0
    sentAt = performance.now()
    updateRegion(writer.doc, 'r', { geometry: { x: i, y: 0, w: 9, h: 9 } }, 'w')
    await Promise.race([done, sleep(2_000)])
    await sleep(5)
  }
  for (const client of clients) client.provider.destroy()
  return percentiles(samples)
}

const concord = await startConcord()
const reference = await startReference()
console.log('edit-to-remote latency (ms), one document, one writer, 150 edits')
for (const n of CLIENT_COUNTS) {
  const ours = await measure(concord.serverUrl, concord.room, { token: concord.token }, n)
  const theirs = await measure(reference.serverUrl, `bench-${n}`, {}, n)
  const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100
  console.log(
    `${String(n).padStart(3)} clients  concord p50 ${ours.p50} p99 ${ours.p99}  |  reference p50 ${theirs.p50} p99 ${theirs.p99}  |  ratio p50 ${ratio(ours.p50, theirs.p50)} p99 ${ratio(ours.p99, theirs.p99)}  (samples ${ours.n}/${theirs.n})`,
  )
}
await concord.close()
await reference.close()
process.exit(0)
