import { humaniseSizes } from '../../ui/format-size.ts'

/**
 * At most this many files per request: the server decodes every image of a request before it
 * answers, so small batches keep each answer quick and the progress line moving.
 */
export const MAX_BATCH_FILES = 32

/**
 * At most this many bytes per request, far under the server's 512 MiB body cap, so a photo folder
 * of any size goes through and one refused request loses little. A single larger file still goes
 * alone in its own request.
 */
export const MAX_BATCH_BYTES = 64 * 1024 * 1024

/** Anything with a byte size; the upload items carry their File. */
export type Sized = { file: { size: number } }

export type BatchLimits = { maxFiles: number; maxBytes: number }

/** Splits items, in order, into batches that each keep under both limits (or hold one item). */
export function planBatches<T extends Sized>(
  items: readonly T[],
  limits: BatchLimits = { maxFiles: MAX_BATCH_FILES, maxBytes: MAX_BATCH_BYTES },
): T[][] {
  const batches: T[][] = []
  let current: T[] = []
  let bytes = 0
  for (const item of items) {
    const full = current.length >= limits.maxFiles || bytes + item.file.size > limits.maxBytes
    if (current.length > 0 && full) {
      batches.push(current)
      current = []
      bytes = 0
    }
    current.push(item)
    bytes += item.file.size
  }
  if (current.length > 0) batches.push(current)
  return batches
}

/** Why one file was not stored, as shown to the person uploading. */
export type Refusal = { fileName: string; message: string }

/** What one request answered: the files stored and the files refused by name. */
export type BatchAnswer = { stored: number; refusals: Refusal[] }

export type UploadProgress = { done: number; total: number }

export type UploadOutcome = { stored: number; total: number; refusals: Refusal[] }

/**
 * Sends the batches one after another and adds up what each answered. A batch that fails as a
 * whole (network, body cap, server fault) turns into one refusal per file it carried and the
 * remaining batches still go.
 */
export async function sendInBatches<T extends Sized & { path: string }>(
  items: readonly T[],
  send: (batch: T[]) => Promise<BatchAnswer>,
  onProgress: (progress: UploadProgress) => void = () => {},
  limits?: BatchLimits,
): Promise<UploadOutcome> {
  const outcome: UploadOutcome = { stored: 0, total: items.length, refusals: [] }
  let done = 0
  onProgress({ done, total: items.length })
  for (const batch of planBatches(items, limits)) {
    try {
      const answer = await send(batch)
      outcome.stored += answer.stored
      outcome.refusals.push(...answer.refusals.map(humaniseRefusal))
    } catch (error) {
      const listed = refusalsInError(error)
      if (listed.length > 0) outcome.refusals.push(...listed.map(humaniseRefusal))
      else {
        const message = humaniseSizes(error instanceof Error ? error.message : String(error))
        outcome.refusals.push(...batch.map((item) => ({ fileName: item.path, message })))
      }
    }
    done += batch.length
    onProgress({ done, total: items.length })
  }
  return outcome
}

function humaniseRefusal(refusal: Refusal): Refusal {
  return { fileName: refusal.fileName, message: humaniseSizes(refusal.message) }
}

/** When every file of a request is refused the server fails it and lists them in its details. */
function refusalsInError(error: unknown): Refusal[] {
  const details = (error as { details?: { errors?: unknown } } | null)?.details
  const listed = details?.errors
  if (!Array.isArray(listed)) return []
  return listed.filter(
    (r): r is Refusal =>
      typeof (r as Refusal | null)?.fileName === 'string' &&
      typeof (r as Refusal | null)?.message === 'string',
  )
}
