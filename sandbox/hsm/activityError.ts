import { randomUUID } from 'node:crypto';
import { HttpError } from '../http/exchange';

/**
 * Managed HSM ends its RBAC error messages with "(Activity ID: …)", and the id is the response's
 * x-ms-request-id (seen in recorded traffic), so support tickets can quote either.
 */
export function activityError(status: number, code: string, message: string): HttpError {
  const activityId = randomUUID();
  return new HttpError(status, code, `${message} (Activity ID: ${activityId})`, { 'x-ms-request-id': activityId });
}
