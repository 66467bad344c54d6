/** The shape of every id Gatehouse makes (a UUID, lowercase hex as `randomUUID` and `uuidV7` write it). */
const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Whether `value` is shaped like an id Gatehouse made (lowercase; lowercase a reference first to match any case). */
export function isIdShaped(value: string): boolean {
  return ID.test(value);
}
