export * from './domain/index.ts'
export * from './document/index.ts'
export * from './protocol/index.ts'
