// Encodes a test picture with jpeg-js or pngjs in a worker thread, outside jest's vm context: in there,
// every read of a global (`Math.round`, `Math.abs`) in the encoders' per-pixel loops is about 100 times
// slower than in plain Node, which made encoding a 12 MP test photo take most of a minute. Same
// libraries, same options, so the same bytes as encoding in the test itself. See `encodeOutsideVm`
// in pictures.ts, which waits for it synchronously.
import { workerData } from 'node:worker_threads';
import jpegJs from 'jpeg-js';
import pngJs from 'pngjs';

const { kind, data, width, height, quality, deflateLevel, filterType, port, done } = workerData;

function encode() {
  const pixels = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (kind === 'jpeg') return jpegJs.encode({ data: pixels, width, height }, quality).data;
  const options = { ...(deflateLevel === undefined ? {} : { deflateLevel }), ...(filterType === undefined ? {} : { filterType }) };
  const png = new pngJs.PNG({ width, height, ...options });
  pixels.copy(png.data);
  return pngJs.PNG.sync.write(png, options);
}

try {
  const bytes = encode();
  port.postMessage({ bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) });
} catch (error) {
  port.postMessage({ error: String(error?.stack ?? error) });
} finally {
  port.close();
  const flag = new Int32Array(done);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
}
