import type { RoleContext } from '../../services/cli/roles.js';
import { Lifecycle, type Config, type Logger } from '../../services/shared/index.js';
import { SharedAdmin } from '../../services/shared/kafka/index.js';
import { Health } from '../../services/shared/ops/index.js';
import { testKafka } from './broker.js';

/** What `start <role>` hands a role's main, for running the role in the test's own process; shutdown closes it all. */
export function roleContext(config: Config, logger: Logger): RoleContext {
  const lifecycle = new Lifecycle(logger);
  const admin = new SharedAdmin(testKafka());
  lifecycle.onShutdown('ops admin', () => admin.close());
  return { config, logger, lifecycle, health: new Health(), admin };
}
