/** Seed intake: from what a user pasted, typed or photographed to a key and its OTP parameters. */
export { readSeed } from './readSeed';
export type { ReadSeedDeps } from './readSeed';
export { parseOtpauthUri } from './otpauthUri';
export { parseMigrationUri } from './migration';
export { SeedInputSchema } from './schema';
export { SEED_LIMITS } from './limits';
export type { Seed, SeedInput, SeedQrImageInput, SeedSetupKeyInput, SeedUriInput, SeedWarning } from './types';
export type { QrReader } from './qrImage';
