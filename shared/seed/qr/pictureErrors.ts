import { InvalidSeedError } from '../../errors';

/** Caller errors about the picture itself. They never quote pixels or decoded text. */
export const notAnImage = (): InvalidSeedError => new InvalidSeedError('the picture is not a PNG, JPEG, HEIC, WebP or AVIF image', { field: 'qrImage' });

export const corrupt = (what: string): InvalidSeedError => new InvalidSeedError(`the picture is corrupt: ${what}`, { field: 'qrImage' });
