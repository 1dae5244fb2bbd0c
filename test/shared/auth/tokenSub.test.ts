import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importPKCS8, SignJWT } from 'jose';
import { initLocalIssuer, LOCAL_CLIENT_ID, LOCAL_ISSUER, type LocalIssuer } from '../../../local/issuer';
import { createTokenVerifier, TokenRejectedError } from '../../../shared/auth/tokenVerifier';

// A user is its account: the verified principal carries the token's sub, and a user token without
// a usable sub is refused (it could only be matched by name, which a re-created user shares).
let dataDir: string;
let issuer: LocalIssuer;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'otpvault-sub-'));
  issuer = await initLocalIssuer(dataDir);
});
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

async function signed(claims: Record<string, unknown>): Promise<string> {
  const key = await importPKCS8(readFileSync(join(dataDir, 'issuer', 'private-key.pem'), 'utf8'), 'RS256');
  const iat = Math.floor(Date.now() / 1000);
  return new SignJWT({ iat, exp: iat + 600, ...claims }).setProtectedHeader({ alg: 'RS256', kid: issuer.kid, typ: 'JWT' }).sign(key);
}

const verifier = () => createTokenVerifier({ mode: 'local', issuer: LOCAL_ISSUER, jwksFile: issuer.jwksFile });
const base = { username: 'alice', token_use: 'access', client_id: LOCAL_CLIENT_ID, iss: LOCAL_ISSUER };

describe('the sub of a user token', () => {
  it('is carried by the principal', async () => {
    const token = await signed({ ...base, sub: '0b7e4c2a-5d1f-4f3e-8a9b-1c2d3e4f5a6b' });
    await expect(verifier().verify(token)).resolves.toEqual({ id: 'user:alice', kind: 'user', name: 'alice', groups: [], sub: '0b7e4c2a-5d1f-4f3e-8a9b-1c2d3e4f5a6b' });
  });

  it.each([
    ['missing', {}],
    ['empty', { sub: '' }],
    ['with characters no sub has', { sub: 'a b' }],
  ])('refuses a user token whose sub is %s', async (_case, sub) => {
    const token = await signed({ ...base, ...sub });
    await expect(verifier().verify(token)).rejects.toMatchObject({ message: 'the bearer token was rejected: it names no usable principal' });
  });

  it('refuses a user token whose sub is not a string (not a well-formed JWT to the verifier)', async () => {
    const token = await signed({ ...base, sub: 7 });
    await expect(verifier().verify(token)).rejects.toBeInstanceOf(TokenRejectedError);
  });

  it('changes when the local user is re-created', async () => {
    const before = await verifier().verify(await issuer.signToken({ user: 'alice' }));
    await issuer.users.recreate('alice');
    const after = await verifier().verify(await issuer.signToken({ user: 'alice' }));
    expect(after.id).toBe(before.id);
    expect(after.sub).not.toBe(before.sub);
  });
});
