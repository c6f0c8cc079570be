/** Errors the HTTP layer maps to 4xx responses; anything else is a 500 with a correlation id. */
export class MadadError extends Error {
  readonly status: number = 500;
  readonly code: string = 'INTERNAL';
  constructor(
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends MadadError {
  override readonly status = 400;
  override readonly code = 'VALIDATION_FAILED';
}

export class UnauthorizedError extends MadadError {
  override readonly status = 401;
  override readonly code = 'UNAUTHORIZED';
}

export class ForbiddenError extends MadadError {
  override readonly status = 403;
  override readonly code = 'FORBIDDEN';
}

export class NotFoundError extends MadadError {
  override readonly status = 404;
  override readonly code = 'NOT_FOUND';
}

export class ConflictError extends MadadError {
  override readonly status = 409;
  override readonly code = 'CONFLICT';
}

export class PayloadTooLargeError extends MadadError {
  override readonly status = 413;
  override readonly code = 'PAYLOAD_TOO_LARGE';
}

export class UnsupportedMediaTypeError extends MadadError {
  override readonly status = 415;
  override readonly code = 'UNSUPPORTED_MEDIA_TYPE';
}

export class RateLimitedError extends MadadError {
  override readonly status = 429;
  override readonly code = 'RATE_LIMITED';
}
