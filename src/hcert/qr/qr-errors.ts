/**
 * Failures of the QR layer. Each is an AppError with a stable code, so the API and the CLI can map
 * them without knowing this folder; `name` is set so a stack trace says which step failed.
 */
import { AppError } from '../../errors/index.js';

/** The text does not fit a version-40 symbol at the requested error-correction level. */
export class QrDataTooLongError extends AppError {
  override readonly name: string = 'QrDataTooLongError';
  /**
   * @param message - precise reason
   * @param details - e.g. `{ bits, capacityBits, ecc }`
   */
  constructor(message: string, details?: Readonly<Record<string, unknown>>) {
    super('QR_DATA_TOO_LONG', message, 400, details);
  }
}

/** The bytes handed to the decoder are not a readable PNG or JPEG image. */
export class QrImageInvalidError extends AppError {
  override readonly name: string = 'QrImageInvalidError';
  /**
   * @param message - precise reason
   * @param details - e.g. `{ bytes }`
   * @param options - `cause` from the image decoder, when there is one
   */
  constructor(message: string, details?: Readonly<Record<string, unknown>>, options?: ErrorOptions) {
    super('QR_IMAGE_INVALID', message, 400, details, options);
  }
}
