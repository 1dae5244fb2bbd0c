import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importPKCS8, SignJWT } from 'jose';
import { initLocalIssuer, LOCAL_CLIENT_ID, LOCAL_ISSUER, type LocalIssuer } from '../../../local/issuer';
import { createTokenVerifier } from '../../../shared/auth/tokenVerifier';

// A correctly signed token without `exp` would never expire: it is refused.
let dataDir: string;
let issuer: LocalIssuer;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'otpvault-exp-'));
  issuer = await initLocalIssuer(dataDir);
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function signed(claims: Record<string, unknown>): Promise<string> {
  const key = await importPKCS8(readFileSync(join(dataDir, 'issuer', 'private-key.pem'), 'utf8'), 'RS256');
  const kid = issuer.jwks.keys[0]!.kid;
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' }).sign(key);
}

const verifier = () => createTokenVerifier({ mode: 'local', issuer: LOCAL_ISSUER, jwksFile: issuer.jwksFile });
const base = { sub: 'local:user:alice', username: 'alice', token_use: 'access', client_id: LOCAL_CLIENT_ID, iss: LOCAL_ISSUER };

describe('tokens and their expiry', () => {
  it('refuses a signed token without exp', async () => {
    const token = await signed({ ...base, iat: Math.floor(Date.now() / 1000) });
    await expect(verifier().verify(token)).rejects.toMatchObject({ message: expect.stringContaining('no expiry') });
  });

  it('accepts the same token with exp', async () => {
    const iat = Math.floor(Date.now() / 1000);
    const token = await signed({ ...base, iat, exp: iat + 600 });
    await expect(verifier().verify(token)).resolves.toMatchObject({ id: 'user:alice' });
  });
});
