import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { encode as encodeJpeg } from 'jpeg-js';
import { PNG } from 'pngjs';
import type { Canvas } from './pictures';

/**
 * Pictures of more pixels than this are encoded in a worker thread (`encodeOutsideVm`); smaller ones
 * here, where starting a worker would cost more than it saves.
 */
const IN_TEST_MAX_PIXELS = 100_000;

/**
 * A PNG of the canvas (pngjs); `deflateLevel` and `filterType` as pngjs takes them (by default it tries
 * all five row filters on every row, which is most of its time in jest's vm context).
 */
export function toPng(picture: Canvas, { deflateLevel, filterType }: { deflateLevel?: number; filterType?: number } = {}): Uint8Array {
  if (picture.width * picture.height > IN_TEST_MAX_PIXELS) return encodeOutsideVm({ kind: 'png', picture, deflateLevel, filterType });
  const options = { ...(deflateLevel === undefined ? {} : { deflateLevel }), ...(filterType === undefined ? {} : { filterType }) };
  const png = new PNG({ width: picture.width, height: picture.height, ...options });
  picture.data.copy(png.data);
  return new Uint8Array(PNG.sync.write(png, options));
}

/** A baseline JPEG of the canvas (jpeg-js). */
export function toJpeg(picture: Canvas, quality = 90): Uint8Array {
  if (picture.width * picture.height > IN_TEST_MAX_PIXELS) return encodeOutsideVm({ kind: 'jpeg', picture, quality });
  return new Uint8Array(encodeJpeg(picture, quality).data);
}

/**
 * Encodes with the same library and options in a worker thread (encodeWorker.mjs), waiting for it
 * synchronously: jest runs a test file in a vm context, where the encoders' per-pixel reads of
 * `Math` are about 100 times slower than in plain Node (a 12 MP JPEG took most of a minute).
 */
function encodeOutsideVm(job: { kind: 'png' | 'jpeg'; picture: Canvas; quality?: number; deflateLevel?: number; filterType?: number }): Uint8Array {
  const { picture, ...options } = job;
  const done = new SharedArrayBuffer(4);
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(new URL('./encodeWorker.mjs', import.meta.url), {
    workerData: { ...options, data: picture.data, width: picture.width, height: picture.height, port: port2, done },
    transferList: [port2],
  });
  try {
    Atomics.wait(new Int32Array(done), 0, 0);
    const reply = receiveMessageOnPort(port1)?.message as { bytes?: Uint8Array; error?: string } | undefined;
    if (!reply?.bytes) throw new Error(`encoding the test picture failed: ${reply?.error ?? 'no reply from the worker'}`);
    return reply.bytes;
  } finally {
    port1.close();
    void worker.terminate();
  }
}

