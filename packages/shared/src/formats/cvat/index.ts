/** CVAT for images XML 1.1. */
export { importCvat, type CvatImportOptions } from './import.ts'
export { exportCvat, type CvatExportOptions } from './export.ts'
