import { register } from 'node:module'
register('./stand-in-loader.mjs', import.meta.url)
