import { HttpError, type ErrorStyle } from '../http/exchange';

// Secret Server's error bodies (secret-server-api.md §4): 400 BadRequestResponse with four
// fields, 401/403 AuthenticationFailedResponse `{message}`, 500 InternalServerErrorResponse.

export const secretServerErrorStyle: ErrorStyle = (status, code, message) => {
  if (status === 401 || status === 403) return { message };
  if (status >= 500) return internalError(message, code);
  return { message, messageDetail: message, errorCode: code, modelState: null };
};

export function internalError(message: string, exceptionType = 'InternalServerError'): Record<string, string> {
  return { message: 'An error has occurred.', exceptionMessage: message, exceptionType, stackTrace: '' };
}

/** 400 with `errorCode` (API_…) and, for field validation, ASP.NET-style `modelState`. */
export function badRequest(errorCode: string, message: string, options: { modelState?: Record<string, string[]>; detail?: string } = {}): HttpError {
  return new HttpError(400, errorCode, message, {}, {
    message,
    messageDetail: options.detail ?? message,
    errorCode,
    modelState: options.modelState ?? null,
  });
}

/** A field validation failure: `modelState` keyed by argument path, e.g. `args.keyManagementTypeId`. */
export function invalidField(field: string, message: string): HttpError {
  return badRequest('API_ValidationFailed', `The request is invalid. ${message}`, { modelState: { [`args.${field}`]: [message] } });
}

export function authenticationFailed(message = 'Authentication failed.'): HttpError {
  return new HttpError(401, 'AuthenticationFailed', message);
}

export function accessDenied(message: string): HttpError {
  return new HttpError(403, 'AccessDenied', message);
}

/** Server-side failures such as an unreachable master key: the four-field 500 body. */
export function serverError(exceptionType: string, message: string): HttpError {
  return new HttpError(500, exceptionType, message, {}, internalError(message, exceptionType));
}
