import { openChdb } from '../../projections/analytics/index.js';
import { analyticsSuite } from '../../projections/analytics/testing/index.js';

// chDB in this process, in memory: each test writes a database of its own.
analyticsSuite(async () => ({ engine: 'chdb', open: () => openChdb(null), cleanup: async () => undefined }));
