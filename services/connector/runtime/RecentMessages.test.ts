import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { proto, type WAMessage } from '@whiskeysockets/baileys';
import { RecentMessages } from './RecentMessages.js';

const message = (id: string, text = id): WAMessage =>
  proto.WebMessageInfo.fromObject({ key: { remoteJid: '1@s.whatsapp.net', id, fromMe: false }, message: { conversation: text } }) as WAMessage;

describe('RecentMessages', () => {
  it('given remembered messages, then they are found by chat and id, the newest copy winning', () => {
    const recent = new RecentMessages(10);
    recent.remember([message('A', 'first'), message('A', 'second')]);
    assert.equal(recent.find('1@s.whatsapp.net', 'A')?.message?.conversation, 'second');
    assert.equal(recent.find('2@s.whatsapp.net', 'A'), null);
  });

  it('given more messages than the capacity, then the oldest fall out', () => {
    const recent = new RecentMessages(2);
    recent.remember([message('A'), message('B'), message('C')]);
    assert.equal(recent.find('1@s.whatsapp.net', 'A'), null);
    assert.ok(recent.find('1@s.whatsapp.net', 'C'));
  });

  it('given a message without content, then it is not remembered', () => {
    const recent = new RecentMessages(2);
    recent.remember([proto.WebMessageInfo.fromObject({ key: { remoteJid: '1@s.whatsapp.net', id: 'X' } }) as WAMessage]);
    assert.equal(recent.find('1@s.whatsapp.net', 'X'), null);
  });
});
