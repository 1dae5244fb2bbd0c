import { readFileSync } from 'node:fs';
import { InvalidSeedError } from '../../../shared/errors';
import { readSeed } from '../../../shared/seed';
import { CORPUS_DIR } from '../otp/corpus';
import { rejection } from './helpers';

describe('readSeed with the real QR decoder', () => {
  it('loads shared/seed/qr by default and reports a QR code that holds no otpauth:// URI', async () => {
    // Prepare: a zxing-cpp sample picture whose QR code holds ordinary text
    const qrImage = readFileSync(`${CORPUS_DIR}/qr/qrcode-1/1.png`).toString('base64');

    // Act
    const error = await rejection(readSeed({ qrImage }, Date.now()));

    // Assess
    expect(error).toBeInstanceOf(InvalidSeedError);
    expect(error.message).toBe('the QR code does not contain an otpauth:// URI');
  });
});
