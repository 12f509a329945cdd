// Types of the public entry point: the generated native.d.ts, plus the error shape.
export * from './native'

/** Every kmskit error: an `Error` whose `name` and `code` are the KMS exception name. */
export interface KmsError extends Error {
  name: string
  code: string
}
