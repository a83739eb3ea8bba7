import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Boom } from '@hapi/boom';
import { DisconnectReason } from '@whiskeysockets/baileys';
import { WaError } from '../../shared/index.js';
import { commandError, deadlineExceeded } from './commandError.js';
import type { CommandErrorValue } from '../../shared/commands/index.js';
import { codec, makeCommand, NOW } from './testing/commandFixtures.js';

/** Proves an error value fits `wa.commands.CommandError` inside a FAILED result. */
function encodeFailed(error: CommandErrorValue): void {
  const command = makeCommand('message.send', 'wa.commands.SendMessage', { to: '15550000001@s.whatsapp.net', content: { 'wa.conversation.TextContent': { text: 'x' } } });
  codec.encode('wa.commands.CommandResult', {
    commandId: command.commandId,
    accountId: command.accountId,
    type: command.type,
    status: 'FAILED',
    completedAt: NOW,
    error,
    result: null,
    correlationId: command.correlationId,
  });
}

describe('commandError', () => {
  it('given a Baileys 401 (not authorized), then UNAUTHORIZED, not retriable, with the status code', () => {
    const error = commandError(new Boom('not-authorized', { statusCode: 401 }));
    assert.deepEqual(error, { code: 'UNAUTHORIZED', message: 'not-authorized', retriable: false, statusCode: 401, field: null });
    encodeFailed(error);
  });

  it('given a Baileys 404 (item not found), then NOT_FOUND, not retriable', () => {
    assert.deepEqual(commandError(new Boom('item-not-found', { statusCode: 404 })), {
      code: 'NOT_FOUND',
      message: 'item-not-found',
      retriable: false,
      statusCode: 404,
      field: null,
    });
  });

  it('given a Baileys 500, then WHATSAPP_ERROR, retriable', () => {
    const error = commandError(new Boom('internal-server-error', { statusCode: 500 }));
    assert.deepEqual(error, { code: 'WHATSAPP_ERROR', message: 'internal-server-error', retriable: true, statusCode: 500, field: null });
    encodeFailed(error);
  });

  it('given the socket closing mid-command, a timeout or a rate limit, then retriable codes', () => {
    assert.deepEqual(pick(commandError(new Boom('Connection Closed', { statusCode: DisconnectReason.connectionClosed }))), ['NOT_CONNECTED', true, 428]);
    assert.deepEqual(pick(commandError(new Boom('Timed Out', { statusCode: DisconnectReason.timedOut }))), ['TIMEOUT', true, 408]);
    assert.deepEqual(pick(commandError(new Boom('rate-overlimit', { statusCode: 429 }))), ['RATE_LIMITED', true, 429]);
    assert.deepEqual(pick(commandError(new Boom('Connection Replaced', { statusCode: DisconnectReason.connectionReplaced }))), ['NOT_CONNECTED', false, 440]);
    assert.deepEqual(pick(commandError(new Boom('not-acceptable', { statusCode: 406 }))), ['WHATSAPP_ERROR', false, 406]);
  });

  it('given a WaError, then its code, message, field and retriable flag carry over; INVALID_ARGUMENT reads VALIDATION_FAILED', () => {
    const error = commandError(new WaError('INVALID_ARGUMENT', 'audienceJids: nobody to show the story to', { field: 'audienceJids' }));
    assert.deepEqual(error, { code: 'VALIDATION_FAILED', message: 'audienceJids: nobody to show the story to', retriable: false, statusCode: null, field: 'audienceJids' });
    encodeFailed(error);
    assert.deepEqual(pick(commandError(new WaError('UNAVAILABLE', 'socket not open'))), ['NOT_CONNECTED', true, null]);
    assert.deepEqual(pick(commandError(new WaError('CONFLICT', 'taken'))), ['CONFLICT', false, null]);
  });

  it('given a WaError naming its command code and wrapping a Boom, then that code and the Boom status code', () => {
    const cause = new Boom('item-not-found', { statusCode: 404 });
    const error = commandError(new WaError('NOT_FOUND', 'media gone', { cause, field: 'content.media.mediaId', details: { commandCode: 'MEDIA_NOT_FOUND' } }));
    assert.deepEqual(error, { code: 'MEDIA_NOT_FOUND', message: 'media gone', retriable: false, statusCode: 404, field: 'content.media.mediaId' });
  });

  it('given a plain Error, then INTERNAL without its message, which could carry what it was processing', () => {
    const error = commandError(new TypeError('cannot read "hello Alice, your code is 1234"'));
    assert.deepEqual(error, { code: 'INTERNAL', message: 'internal error (TypeError)', retriable: false, statusCode: null, field: null });
    encodeFailed(error);
    assert.equal(commandError('a string').message, 'internal error (string)');
  });

  it('given a very long message, then it is clipped', () => {
    assert.equal(commandError(new Boom('x'.repeat(5_000), { statusCode: 400 })).message.length, 500);
  });

  it('gives EXPIRED results DEADLINE_EXCEEDED', () => {
    const error = deadlineExceeded(NOW - 250, NOW);
    assert.deepEqual(pick(error), ['DEADLINE_EXCEEDED', false, null]);
    assert.match(error.message, /250 ms/);
    encodeFailed(error);
  });
});

function pick(error: CommandErrorValue): [string, boolean, number | null] {
  return [error.code, error.retriable, error.statusCode];
}
