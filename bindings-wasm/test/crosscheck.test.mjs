// The offline API of the wasm package (Node target) cross-checked with node:crypto
// (testdata/js/crosscheck.mjs), exactly as the native addon is.
import { test } from 'node:test'
import { createRequire } from 'node:module'
import { crosscheckSuite } from '../../testdata/js/crosscheck.mjs'

crosscheckSuite(createRequire(import.meta.url)('../pkg-node/kmskit_wasm.js'), test)
