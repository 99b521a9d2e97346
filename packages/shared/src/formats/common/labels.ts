import type { ReportBuilder } from './report.ts'

/**
 * Whether a label names nothing: empty or only whitespace. Tools write such shapes (CVAT's
 * `label=""`, a labelme shape saved before it was named); the workspace cannot hold a region
 * without a label, so importers leave them out and say where each one was.
 */
export function isBlankLabel(label: string | null | undefined): boolean {
  return label == null || label.trim() === ''
}

/** Reports one shape (or tag) left out for having no label, naming its file and place. */
export function skipUnlabelled(
  report: ReportBuilder,
  file: string,
  path: string,
  what = 'shape',
): void {
  report.warn({ code: 'skipped', message: `${what} without a label left out`, file, path })
}
