/** A storage fault the server will not start with; the message says what to do. */
export class StorageFaultError extends Error {
  override name = 'StorageFaultError';
}
