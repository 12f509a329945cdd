'use strict'
// The public entry point: the napi-generated loader (native.js) with one addition, error
// mapping. Native errors carry the KMS exception name in `code`; it is copied to `name` so
// `err.name === 'ValidationException'` works as with the AWS SDK. No other logic lives here.
const native = require('./native.js')

function mapError(e) {
  if (e instanceof Error && typeof e.code === 'string' && e.code.endsWith('Exception')) {
    e.name = e.code
  }
  return e
}

function wrap(fn) {
  return function (...args) {
    let out
    try {
      out = fn.apply(this, args)
    } catch (e) {
      throw mapError(e)
    }
    return out instanceof Promise ? out.catch((e) => { throw mapError(e) }) : out
  }
}

for (const [name, value] of Object.entries(native)) {
  module.exports[name] = typeof value === 'function' ? wrap(value) : value
}
