/** One attempt GitHub made at delivering a webhook to the App (`GET /app/hook/deliveries`). */
export interface DeliveryAttempt {
  id: number;
  /** The `x-github-delivery` id: shared by every attempt of one event. */
  guid: string;
  deliveredAt: Date;
  /** The receiver's HTTP status; 0 when it gave none. */
  statusCode: number;
  redelivery: boolean;
  event: string;
}
