import type { WAMessageKey } from '@whiskeysockets/baileys';
import type { AvroCodec } from '../../../schemas/index.js';
import type { EventSource } from '../events/index.js';

/** LID → phone-number knowledge of one account, used to give a chat one id whichever form WhatsApp used. */
export interface LidDirectory {
  /** The phone-number JID (`...@s.whatsapp.net`) of a LID JID (`...@lid`, no device), when known. */
  pnForLid(lid: string): string | undefined;
  /** Records that a LID belongs to a phone number (both normalised, no device suffix). */
  remember(lid: string, pn: string): void;
}

/** A `LidDirectory` kept in a Map (the connector fills it from `lid.mapping` events on restore). */
export function createLidDirectory(initial: Iterable<readonly [lid: string, pn: string]> = []): LidDirectory {
  const pnByLid = new Map<string, string>(initial);
  return {
    pnForLid: (lid) => pnByLid.get(lid),
    remember: (lid, pn) => {
      pnByLid.set(lid, pn);
    },
  };
}

/** What translation remembers about the current socket; the translators mutate it. */
export interface SessionTranslationState {
  /** The connector's id for the socket (one per socket opened). */
  connectionId: string;
  /** QR codes issued on this socket so far; the next `connection.qr` gets `qrAttempt + 1`. */
  qrAttempt: number;
  /** The last `wa.account.ConnectionState` symbol emitted (e.g. `CONNECTING`), or `UNKNOWN`. */
  state: string;
  /** Set when Baileys announced a completed link (`isNewLogin`), reported on the next CONNECTED. */
  newLogin?: boolean;
  /**
   * Natural keys of group participant changes already emitted from stub messages, so Baileys'
   * own `group-participants.update` for the same stub is not emitted a second time. Bounded.
   */
  recentGroupChanges?: string[];
}

/** AES-256-GCM sealed secret, shaped as `wa.common.EncryptedValue`. */
export interface SealedSecret {
  keyId: string;
  iv: Buffer;
  authTag: Buffer;
  ciphertext: Buffer;
}

/** Everything a translator needs besides the Baileys payload. */
export interface TranslateContext {
  accountId: string;
  /** This account's own phone-number JID, normalised (no device suffix); null before the first link. */
  meJid: string | null;
  /** This account's own LID, normalised; null when unknown. */
  meLid: string | null;
  /** This account's push name, reported on CONNECTED when known. */
  meName?: string | null;
  /** Platform of the primary phone (android, iphone, smbi...), reported on CONNECTED when known. */
  platform?: string | null;
  /** Injected clock, milliseconds. */
  now: () => number;
  /**
   * Forces the `source` of every event (e.g. `COMMAND` when translating a command's effects).
   * Default: LIVE, HISTORY_SYNC for history sync, APP_STATE_SYNC for changes Baileys got through
   * app-state sync, SYSTEM for connection events.
   */
  source?: EventSource;
  /** The commandId when a command caused what is translated. */
  causationId: string | null;
  /** Read to reconcile PN / LID chat ids; updated with mappings learnt. */
  lids: LidDirectory;
  /** Mutated: QR attempt counter, last connection state. */
  session: SessionTranslationState;
  /** Seals a secret with AES-256-GCM under the deployment key; `aad` is bound to it. */
  sealSecret(plain: Uint8Array, aad: string): SealedSecret;
  /** Encodes data branches for `digest(data)`. */
  codec: AvroCodec;
}

/** What the connector needs to download a message's media into the store. */
export interface MediaDescriptor {
  /** The message key as Baileys gave it (for `downloadMedia` / re-upload requests). */
  key: WAMessageKey;
  /** Proto field of the media content, e.g. `imageMessage`. */
  messageType: string;
  /** Content address in the media store: lowercase hex of WhatsApp's `fileSha256`. */
  mediaId: string;
  mimetype: string | null;
  fileLength: number | null;
  fileName: string | null;
}
