const UNITS = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'] as const

/** A byte count as people read it: `812 bytes`, `3.4 MiB`, `1.2 GiB`. */
export function formatSize(bytes: number): string {
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024
    unit += 1
  }
  if (unit === 0) return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`
  // One decimal below 10 units keeps "1.5 MiB" honest without printing "512.0 MiB".
  const shown = value < 10 ? value.toFixed(1).replace(/\.0$/, '') : Math.round(value).toString()
  return `${shown} ${UNITS[unit]}`
}

/**
 * Rewrites raw byte counts inside a server message ("larger than the limit of 52428800 bytes")
 * into sizes people read ("larger than the limit of 50 MiB").
 */
export function humaniseSizes(message: string): string {
  return message.replace(/\b(\d{4,}) bytes\b/g, (_, digits: string) => formatSize(Number(digits)))
}
