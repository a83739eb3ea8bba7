import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import busboy from 'busboy';
import { WaError, toWaError, type MediaStore } from '../../shared/index.js';
import { addField, emptyFields, type FormFields } from './formFields.js';
import { drainRest, incomplete, tooLarge } from './readRawBody.js';
import type { UploadedFile } from './route.js';

export interface ReadMultipartOptions {
  req: IncomingMessage;
  /** The file fields the route accepts; any other file part is a 400. */
  fileFields: readonly string[];
  store: MediaStore;
  /** Largest file; beyond it the upload stops with a 413 and nothing is kept. */
  mediaMaxBytes: number;
  /** Largest total of the text fields. */
  textLimitBytes: number;
}

/**
 * Reads a multipart/form-data body: text fields into an object, each declared file part
 * streamed straight into the media store (never held whole in memory).
 */
export function readMultipart(options: ReadMultipartOptions): Promise<{ fields: FormFields; files: UploadedFile[] }> {
  const { req, fileFields, store, mediaMaxBytes, textLimitBytes } = options;
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: req.headers,
      limits: { fieldSize: textLimitBytes, fieldNameSize: 200, fields: 1_000, files: fileFields.length + 1, parts: 1_000 + fileFields.length },
    });
  } catch (error) {
    return Promise.reject(new WaError('INVALID_ARGUMENT', `body is not valid multipart/form-data: ${(error as Error).message}`, { field: 'body', cause: error }));
  }
  return new Promise((resolve, reject) => {
    const fields = emptyFields();
    const uploads: (UploadedFile | null)[] = [];
    const pending: Promise<void>[] = [];
    const open = new Set<Readable>();
    const seen = new Set<string>();
    let textBytes = 0;
    let failure: WaError | undefined;

    const fail = (error: WaError): void => {
      if (failure) return;
      failure = error;
      req.unpipe(parser);
      // Destroying the sources makes their puts fail and remove their temporary files.
      for (const stream of open) stream.destroy();
      drainRest(req, mediaMaxBytes + textLimitBytes);
      void Promise.allSettled(pending).then(() => reject(error));
    };

    parser.on('file', (rawName, stream, info) => {
      const name = rawName.endsWith('[]') ? rawName.slice(0, -2) : rawName;
      // Browsers send an empty part with an empty file name when no file was chosen.
      if (failure || info.filename === '' || info.filename === undefined) return void stream.resume();
      if (!fileFields.includes(name)) {
        stream.resume();
        return fail(new WaError('INVALID_ARGUMENT', `${name} is not an accepted file field (accepted: ${fileFields.join(', ') || 'none'})`, { field: name }));
      }
      if (seen.has(name)) {
        stream.resume();
        return fail(new WaError('INVALID_ARGUMENT', `${name} was given more than once`, { field: name }));
      }
      seen.add(name);
      open.add(stream);
      const index = uploads.push(null) - 1;
      const mimetype = info.mimeType === '' ? null : info.mimeType;
      pending.push(
        store.put(stream, { mimetype, maxBytes: mediaMaxBytes }).then(
          (stored) => {
            open.delete(stream);
            uploads[index] = { field: name, mediaId: stored.mediaId, size: stored.size, mimetype: stored.mimetype ?? mimetype, fileName: info.filename ?? null };
          },
          (error: unknown) => {
            open.delete(stream);
            const wrapped = toWaError(error);
            fail(wrapped.code === 'PAYLOAD_TOO_LARGE' ? tooLarge(name, mediaMaxBytes) : wrapped);
          },
        ),
      );
    });
    parser.on('field', (name, value, info) => {
      if (failure) return;
      textBytes += Buffer.byteLength(value) + Buffer.byteLength(name);
      if (info.valueTruncated || textBytes > textLimitBytes) return fail(tooLarge(info.valueTruncated ? name : 'body', textLimitBytes));
      addField(fields, name, value);
    });
    parser.on('filesLimit', () => fail(new WaError('INVALID_ARGUMENT', `body has more files than the accepted ${fileFields.join(', ') || 'none'}`, { field: 'body' })));
    parser.on('fieldsLimit', () => fail(tooLarge('body', textLimitBytes)));
    parser.on('partsLimit', () => fail(tooLarge('body', textLimitBytes)));
    parser.on('error', (error: unknown) => fail(new WaError('INVALID_ARGUMENT', `body is not valid multipart/form-data: ${(error as Error).message}`, { field: 'body', cause: error })));
    parser.on('close', () => {
      void Promise.allSettled(pending).then(() => {
        if (failure) return;
        resolve({ fields, files: uploads.filter((upload): upload is UploadedFile => upload !== null) });
      });
    });
    req.once('error', (error) => fail(incomplete(error)));
    req.once('close', () => {
      if (!req.complete) fail(incomplete(new Error('the client closed the request before its end')));
    });
    req.pipe(parser);
  });
}
