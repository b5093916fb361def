/** Notifications waiting in, or delivered from, the outbox. */

/** How a notification reaches its recipient. */
export const NOTIFICATION_CHANNELS = ['sms', 'push', 'email', 'console'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];

/** Outbox row states: `failed` means every attempt failed and delivery gave up. */
export const NOTIFICATION_STATUSES = ['pending', 'sent', 'failed'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

/** What {@link enqueueNotification} takes. */
export interface NewNotification {
  readonly channel: NotificationChannel;
  /** Phone number (sms), device/app id (push), e-mail address, or a label (console). */
  readonly recipient: string;
  /** Stable template name, e.g. `report.status_changed`; a transport may render it. */
  readonly template: string;
  /** Template values; keep it free of data the recipient must not see. */
  readonly payload: Readonly<Record<string, unknown>>;
}

/** A notification as a transport receives it. */
export interface Notification extends NewNotification {
  readonly id: number;
  /** Attempts made before this one. */
  readonly attempts: number;
  readonly createdAt: string;
}

/** An outbox row as stored. */
export interface OutboxEntry extends Notification {
  readonly status: NotificationStatus;
  readonly nextAttemptAt: string;
  readonly sentAt: string | null;
  readonly error: string | null;
}

/**
 * Delivers one notification; resolves when the recipient's provider accepted it, rejects
 * otherwise (the outbox retries). Must be safe to call again for the same `id` (at-least-once:
 * a crash between sending and marking sent resends once the lease runs out).
 */
export interface NotificationTransport {
  send(n: Notification): Promise<void>;
}
