export { statement, type ReadModelDefinition, type Statement } from './Statement.js';
export { chatKindOf, chatKindOfJid, MUTED_FOREVER, phoneOf, STATUS_JID } from './values.js';
export { jsonParam, toJson, type Json } from './json.js';
