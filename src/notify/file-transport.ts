/**
 * Default transport of a one-box install: JSON lines appended to a file, one per notification
 * (`{id, at, channel, recipient, template, payload}`), for an operator or a relay to pick up.
 */
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Notification, NotificationTransport } from './notification-types.js';

/** Where {@link FileTransport} writes unless told otherwise. */
export const DEFAULT_NOTIFICATION_FILE = './data/notifications.log';

/** Appends notifications to a JSON-lines file (the directory is created on first use). */
export class FileTransport implements NotificationTransport {
  private ready: Promise<unknown> | undefined;

  /**
   * @param file - the log file (default {@link DEFAULT_NOTIFICATION_FILE})
   */
  constructor(readonly file: string = DEFAULT_NOTIFICATION_FILE) {}

  async send(n: Notification): Promise<void> {
    this.ready ??= mkdir(dirname(this.file), { recursive: true });
    await this.ready;
    const line = JSON.stringify({ id: n.id, at: new Date().toISOString(), channel: n.channel, recipient: n.recipient, template: n.template, payload: n.payload });
    await appendFile(this.file, `${line}\n`, 'utf8');
  }
}
