/**
 * The notification outbox: changes enqueue notifications in their own transaction;
 * `deliverPending` sends them through a transport (console, JSON-lines file, or real SMS/push
 * providers behind `ChannelTransport`), with retries.
 */
export { ChannelTransport } from './channel-transport.js';
export type { ChannelTransports } from './channel-transport.js';
export { ConsoleTransport } from './console-transport.js';
export { deliverPending } from './deliver-pending.js';
export type { DeliverOptions, DeliverResult } from './deliver-pending.js';
export { enqueueNotification, listOutbox } from './enqueue-notification.js';
export { DEFAULT_NOTIFICATION_FILE, FileTransport } from './file-transport.js';
export { NOTIFICATION_CHANNELS, NOTIFICATION_STATUSES } from './notification-types.js';
export type { NewNotification, Notification, NotificationChannel, NotificationStatus, NotificationTransport, OutboxEntry } from './notification-types.js';
export { notificationTransportFromEnv } from './transport-from-env.js';
