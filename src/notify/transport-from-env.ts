/** Picks the notification transport of a deployment from the environment. */
import { AppError } from '../errors/index.js';
import { ConsoleTransport } from './console-transport.js';
import { DEFAULT_NOTIFICATION_FILE, FileTransport } from './file-transport.js';
import type { NotificationTransport } from './notification-types.js';

/**
 * `VAXPASS_NOTIFY_TRANSPORT` = `file` (default; `VAXPASS_NOTIFY_FILE`, default
 * `./data/notifications.log`) or `console`. Real SMS/push providers are wired with
 * `ChannelTransport` in code.
 * @param env - usually `process.env`
 * @throws AppError CONFIG_INVALID for another value
 */
export function notificationTransportFromEnv(env: NodeJS.ProcessEnv = process.env): NotificationTransport {
  const kind = env.VAXPASS_NOTIFY_TRANSPORT ?? 'file';
  if (kind === 'console') return new ConsoleTransport();
  if (kind === 'file') return new FileTransport(env.VAXPASS_NOTIFY_FILE ?? DEFAULT_NOTIFICATION_FILE);
  throw new AppError('CONFIG_INVALID', `VAXPASS_NOTIFY_TRANSPORT: file or console (got ${kind})`, 500);
}
