import type { Region } from '@concord/shared'

/** Test factory: a region with the given shape and neutral provenance. */
export function region(id: string, partial: Pick<Region, 'kind' | 'geometry'>): Region {
  return {
    id,
    labelId: 'l',
    attributes: {},
    source: 'human',
    score: null,
    createdBy: 'u',
    updatedBy: 'u',
    createdAt: 0,
    updatedAt: 0,
    guidelineVersion: null,
    ...partial,
  } as Region
}
