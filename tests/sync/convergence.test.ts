import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { readRegions } from '@concord/shared'
import { testDatabaseKinds } from '@concord/server/sync/testing/fixtures'
import {
  connectClient,
  createRandom,
  editAtRandom,
  sameState,
  startSyncHarness,
  waitFor,
  type SyncClient,
  type SyncHarness,
} from '../support/sync-harness.ts'

const STEPS = 120

/**
 * Three clients edit one document at random (add, move, relabel, delete regions), dropping and
 * regaining their connections at random, and must all end with the same regions as each other
 * and as the server's stored document. Every step comes from the seed, so a failure replays.
 */
async function runConvergence(harness: SyncHarness, seed: number): Promise<void> {
  const random = createRandom(seed)
  const room = `${harness.seed.assetId}:consensus`
  const people = [harness.seed.lead, harness.seed.reviewer, harness.seed.annotator]
  const clients: SyncClient[] = people.map((p) => connectClient(harness, room, p))
  try {
    await Promise.all(clients.map((c) => c.synced()))
    for (let step = 0; step < STEPS; step++) {
      const index = random.int(clients.length)
      const client = clients[index]
      const person = people[index]
      if (!client || !person) throw new Error('no client')
      const roll = random.next()
      if (roll < 0.06) {
        if (client.provider.shouldConnect) client.provider.disconnect()
        else client.provider.connect()
      } else {
        editAtRandom(client.doc, person.id, random, `${seed}-${step}`)
      }
      // Let messages flow now and then, so edits interleave with delivery rather than all
      // arriving at the end.
      if (random.next() < 0.3) await new Promise((resolve) => setTimeout(resolve, random.int(15)))
    }

    for (const client of clients) if (!client.provider.shouldConnect) client.provider.connect()
    await waitFor(
      async () => {
        const server = await harness.sync.documents.read(room, (doc) => Y.encodeStateVector(doc))
        return clients.every((c) => sameState(c.doc, server))
      },
      `seed ${seed}: clients and server converge`,
      20_000,
    )
    await waitFor(() => clients.every((c) => c.isSaved()), `seed ${seed}: every client saved`)

    const expected = readRegions(clients[0]!.doc)
    for (const client of clients) expect(readRegions(client.doc)).toEqual(expected)
    expect(await harness.sync.documents.read(room, readRegions)).toEqual(expected)
  } finally {
    for (const client of clients) client.destroy()
  }

  // What is stored, read back by a fresh server, is the same document.
  await harness.restart()
  const stored = await harness.sync.documents.read(room, readRegions)
  const reference = connectClient(harness, room, harness.seed.admin)
  try {
    await reference.synced()
    expect(readRegions(reference.doc)).toEqual(stored)
    expect(stored.length).toBeGreaterThan(0)
  } finally {
    reference.destroy()
  }
}

describe.each(testDatabaseKinds())('convergence on $kind', (kind) => {
  let harness: SyncHarness
  beforeEach(async () => {
    harness = await startSyncHarness(kind)
  })
  afterEach(async () => {
    await harness.close()
  })

  for (const seed of [1, 7, 42, 1234, 98765]) {
    it(`three clients with random edits and reconnects converge (seed ${seed})`, async () => {
      await runConvergence(harness, seed)
    })
  }
})
