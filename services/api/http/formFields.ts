/** Form fields as an object: repeated names (and `name[]`) become arrays. */
export type FormFields = Record<string, string | string[]>;

/** Adds one form field; `__proto__` and friends are plain keys of a prototype-less object. */
export function addField(target: FormFields, rawName: string, value: string): void {
  const name = rawName.endsWith('[]') ? rawName.slice(0, -2) : rawName;
  if (name === '') return;
  const existing = Object.hasOwn(target, name) ? target[name] : undefined;
  if (existing === undefined) target[name] = rawName.endsWith('[]') ? [value] : value;
  else if (Array.isArray(existing)) existing.push(value);
  else target[name] = [existing, value];
}

/** An empty field set without a prototype, safe for any field name. */
export function emptyFields(): FormFields {
  return Object.create(null) as FormFields;
}

/** An `application/x-www-form-urlencoded` body as fields. */
export function parseForm(text: string): FormFields {
  const fields = emptyFields();
  for (const [name, value] of new URLSearchParams(text)) addField(fields, name, value);
  return fields;
}
