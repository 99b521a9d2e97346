import type { InterchangeRegion } from '@concord/shared/formats/index'

/**
 * The attribute key under which a region keeps what formats need for a faithful round trip
 * but the document has no field for: COCO `iscrowd`, the instance group of multi-part
 * objects, and format extras such as the file's own bbox. The leading underscore marks it as
 * Concord's, not a user attribute.
 */
export const INTERCHANGE_ATTRIBUTE = '_interchange'

type Extras = { group?: string | number; crowd?: boolean; extra?: Record<string, unknown> }

/** The attributes to store for an imported region: its own plus the extras, when it has any. */
export function attributesWithExtras(region: InterchangeRegion): Record<string, unknown> {
  const extras: Extras = {}
  if (region.group !== undefined && region.group !== null) extras.group = region.group
  if (region.crowd) extras.crowd = true
  if (region.extra && Object.keys(region.extra).length > 0) extras.extra = region.extra
  const attributes = { ...region.attributes }
  if (Object.keys(extras).length > 0) attributes[INTERCHANGE_ATTRIBUTE] = extras
  return attributes
}

/** Splits stored attributes back into the user's attributes and the interchange extras. */
export function splitExtras(stored: Record<string, unknown>): {
  attributes: Record<string, unknown>
  extras: Extras
} {
  const { [INTERCHANGE_ATTRIBUTE]: raw, ...attributes } = stored
  const extras: Extras = {}
  if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) {
    const r = raw as Record<string, unknown>
    if (typeof r.group === 'string' || typeof r.group === 'number') extras.group = r.group
    if (r.crowd === true) extras.crowd = true
    if (typeof r.extra === 'object' && r.extra !== null && !Array.isArray(r.extra)) {
      extras.extra = r.extra as Record<string, unknown>
    }
  }
  return { attributes, extras }
}
