import type { Admin, Kafka } from 'kafkajs';

/** One admin connection for a process's occasional reads (lag, log ends, readiness), opened on first use. */
export class SharedAdmin {
  private admin: Promise<Admin> | undefined;

  constructor(private readonly kafka: Kafka) {}

  /** The connected admin; a failed connection is retried on the next call. */
  connected(): Promise<Admin> {
    this.admin ??= (async () => {
      const client = this.kafka.admin();
      await client.connect();
      return client;
    })().catch((error: unknown) => {
      this.admin = undefined;
      throw error;
    });
    return this.admin;
  }

  async close(): Promise<void> {
    const client = this.admin;
    this.admin = undefined;
    if (client) await (await client.catch(() => undefined))?.disconnect();
  }
}
