/** Development transport: one line per notification on the console (or any line writer). */
import type { Notification, NotificationTransport } from './notification-types.js';

/** Writes `[notify] channel → recipient template payload` lines. */
export class ConsoleTransport implements NotificationTransport {
  /**
   * @param write - where lines go (default `console.log`)
   */
  constructor(private readonly write: (line: string) => void = (line) => {
    console.log(line);
  }) {}

  send(n: Notification): Promise<void> {
    this.write(`[notify] ${n.channel} → ${n.recipient} ${n.template} ${JSON.stringify(n.payload)}`);
    return Promise.resolve();
  }
}
