import { decodeXmlText, readKeysPage, readS3Error, readVersionsPage } from '../../../shared/aws/s3/s3Xml';
import { environmentCredentials } from '../../../shared/aws/envCredentials';

// What the hand-signed S3 client reads of S3's XML, and only that: documents as S3 writes them
// (element order and whitespace vary between S3 and compatible servers).

describe('S3 XML', () => {
  it('decodes the predefined entities and character references, and refuses any other entity', () => {
    expect(decodeXmlText('a&amp;b&lt;c&gt;&quot;&apos;&#233;&#x20AC;')).toBe('a&b<c>"\'é€');
    expect(() => decodeXmlText('&nbsp;')).toThrow('unknown entity');
    expect(() => decodeXmlText('&#x110000;')).toThrow('unknown entity');
  });

  it('reads a versions page: versions in order, delete markers left out, the next markers of a truncated page', () => {
    // Prepare
    const page = `<?xml version="1.0" encoding="UTF-8"?>
      <ListVersionsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
        <Name>b</Name><Prefix>k</Prefix><KeyMarker/><VersionIdMarker></VersionIdMarker>
        <NextKeyMarker>k&amp;2</NextKeyMarker><NextVersionIdMarker>v3</NextVersionIdMarker><MaxKeys>3</MaxKeys><IsTruncated>true</IsTruncated>
        <Version><Key>k&amp;1</Key><VersionId>v2</VersionId><IsLatest>true</IsLatest><Owner><ID>o</ID></Owner></Version>
        <DeleteMarker><Key>k&amp;1</Key><VersionId>d1</VersionId><IsLatest>false</IsLatest></DeleteMarker>
        <Version><Key>k&amp;1</Key><VersionId>v1</VersionId><IsLatest>false</IsLatest></Version>
        <Version><Key>k&amp;2</Key><VersionId>v3</VersionId><IsLatest>true</IsLatest></Version>
      </ListVersionsResult>`;

    // Act
    const read = readVersionsPage(page);

    // Assess
    expect(read).toEqual({
      versions: [
        { key: 'k&1', versionId: 'v2' },
        { key: 'k&1', versionId: 'v1' },
        { key: 'k&2', versionId: 'v3' },
      ],
      next: { keyMarker: 'k&2', versionIdMarker: 'v3' },
    });
  });

  it('reads a keys page and its continuation token; a last page has none', () => {
    const page = (truncated: boolean) =>
      `<ListBucketResult><Name>b</Name><KeyCount>1</KeyCount><IsTruncated>${truncated}</IsTruncated>${truncated ? '<NextContinuationToken>t/1=</NextContinuationToken>' : ''}` +
      '<Contents><Key>a/b.gz</Key><Size>3</Size></Contents><CommonPrefixes><Prefix>c/</Prefix></CommonPrefixes></ListBucketResult>';
    expect(readKeysPage(page(true))).toEqual({ keys: ['a/b.gz'], next: 't/1=' });
    expect(readKeysPage(page(false))).toEqual({ keys: ['a/b.gz'] });
  });

  it('reads the code and message of an error document, and nothing from a body that is not one', () => {
    expect(readS3Error('<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><Key>k</Key></Error>')).toEqual({ code: 'NoSuchKey', message: 'The specified key does not exist.' });
    expect(readS3Error('<html>502</html>')).toBeUndefined();
    expect(readS3Error('<Error><Code>X')).toBeUndefined();
    expect(readS3Error('')).toBeUndefined();
  });

  it('refuses a page whose IsTruncated is missing: it cannot say whether the listing is complete', () => {
    expect(() => readKeysPage('<ListBucketResult><Contents><Key>a</Key></Contents></ListBucketResult>')).toThrow('IsTruncated');
  });
});

describe('environmentCredentials', () => {
  it('reads the key pair and session token Lambda sets, at each call, and says when there are none', async () => {
    const env: NodeJS.ProcessEnv = {};
    const credentials = environmentCredentials(env);
    await expect(credentials()).rejects.toThrow('AWS_ACCESS_KEY_ID');
    Object.assign(env, { AWS_ACCESS_KEY_ID: 'AKID', AWS_SECRET_ACCESS_KEY: 'secret', AWS_SESSION_TOKEN: 'token' });
    await expect(credentials()).resolves.toEqual({ accessKeyId: 'AKID', secretAccessKey: 'secret', sessionToken: 'token' });
  });
});
