/**
 * A layer is the regions of one asset by one party. `consensus` is the dataset's truth,
 * `annotator:<userId>` one person's blind work, `model:<runId>` pre-labels.
 */
export type Layer = 'consensus' | `annotator:${string}` | `model:${string}`

const LAYER_PATTERN = /^(consensus|annotator:[A-Za-z0-9_-]{1,64}|model:[A-Za-z0-9_.-]{1,64})$/
const ASSET_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/

export function isLayer(value: string): value is Layer {
  return LAYER_PATTERN.test(value)
}

/** A document name is `<assetId>:<layer>`, e.g. `a1b2:consensus` or `a1b2:annotator:u7`. */
export function formatDocumentName(assetId: string, layer: Layer): string {
  return `${assetId}:${layer}`
}

/** Splits a document name into asset id and layer; null when it is not one. */
export function parseDocumentName(name: string): { assetId: string; layer: Layer } | null {
  const colon = name.indexOf(':')
  if (colon < 0) return null
  const assetId = name.slice(0, colon)
  const layer = name.slice(colon + 1)
  if (!ASSET_ID_PATTERN.test(assetId) || !isLayer(layer)) return null
  return { assetId, layer }
}
