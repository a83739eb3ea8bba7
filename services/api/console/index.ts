export { CONSOLE_CONTENT_SECURITY_POLICY, builtConsoleDir, consoleFiles, contentTypeOf } from './consoleFiles.js';
