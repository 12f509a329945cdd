// The offline API of the native addon cross-checked with node:crypto (testdata/js/crosscheck.mjs).
import { test } from 'node:test'
import { createRequire } from 'node:module'
import { crosscheckSuite } from '../../testdata/js/crosscheck.mjs'

crosscheckSuite(createRequire(import.meta.url)('..'), test)
