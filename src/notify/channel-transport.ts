/**
 * Routes each notification to the transport of its channel. This is where real providers plug
 * in: an SMS gateway (e.g. a brandname SMS provider's HTTP API) as `sms`, app push (FCM/APNs,
 * or the VNeID app's push service) as `push`, an SMTP relay as `email`; channels without one
 * go to `fallback` (the file or console transport), so nothing is lost in development.
 */
import type { Notification, NotificationChannel, NotificationTransport } from './notification-types.js';

/** Transports by channel plus the one for all other channels. */
export interface ChannelTransports {
  readonly sms?: NotificationTransport;
  readonly push?: NotificationTransport;
  readonly email?: NotificationTransport;
  readonly console?: NotificationTransport;
  readonly fallback: NotificationTransport;
}

/** Dispatches by `channel`. */
export class ChannelTransport implements NotificationTransport {
  /**
   * @param transports - one per channel, and the fallback
   */
  constructor(private readonly transports: ChannelTransports) {}

  send(n: Notification): Promise<void> {
    const byChannel: Partial<Record<NotificationChannel, NotificationTransport | undefined>> = this.transports;
    return (byChannel[n.channel] ?? this.transports.fallback).send(n);
  }
}
