/** Adds request fields to a multipart form the way the server reads them: text as is, the rest as JSON. */
function appendFields(form: FormData, fields: Record<string, unknown>): FormData {
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined && value !== null) {
      form.append(key, typeof value === 'string' ? value : JSON.stringify(value));
    }
  }
  return form;
}

/** A file part: the bytes, and the file name to send when the blob is not already a named File. */
export type FilePart = File | { blob: Blob; name: string };

/**
 * A `bodySerializer` that sends the typed JSON body of a route as multipart form fields beside files,
 * so an upload is checked against the same request type as its JSON form:
 * `client.POST('/api/image-studio/upscale', { body: options, bodySerializer: multipart({ file }) })`.
 */
export function multipart(files: Record<string, FilePart | null | undefined>) {
  return (fields: Record<string, unknown>): FormData => {
    const form = new FormData();
    for (const [name, part] of Object.entries(files)) {
      if (part instanceof File) {
        form.append(name, part);
      } else if (part) {
        form.append(name, part.blob, part.name);
      }
    }
    return appendFields(form, fields);
  };
}
