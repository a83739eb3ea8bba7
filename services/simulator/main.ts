import type { RoleMain } from '../cli/roles.js';
import { createSimulator } from './createSimulator.js';

/** The `simulator` role: serves the fake WhatsApp network on `SIM_PORT`, kept in `DATA_DIR/simulator`. */
export const main: RoleMain = async ({ config, logger, lifecycle }) => {
  const simulator = await createSimulator({ dataDir: config.dataDir, port: config.simPort, logger });
  lifecycle.onShutdown('simulator', () => simulator.close());
};
