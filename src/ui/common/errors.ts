import { t } from './i18n';

/** The text of a failed request: the background's readable message, or a generic one. */
export function errorText(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  return t('ui_errorUnknown');
}

/** The background's error code when it sent one (MessageError), e.g. "managed" or "console:auth". */
export function errorCode(error: unknown): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : null;
}
