export { statement, type ReadModelDefinition, type SetForm, type Statement } from './Statement.js';
export { chatTouched, messageTouched, overRows, rowsFrom, setBased } from './setBased.js';
export { chatKindOf, chatKindOfJid, MUTED_FOREVER, phoneOf, STATUS_JID } from './values.js';
export { jsonParam, toJson, type Json } from './json.js';
