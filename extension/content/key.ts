// "POST /api/apps/<id>/…": the same for a direct report and for the editor's witness of the same call, so the
// background can match the two. A path only: never a query string or a body.
export function keyOf(method: string, url: string, pageUrl: string): string {
  // The common cases without a URL parse (this runs for every call): an origin-relative path, or an absolute URL.
  if (url.startsWith('/') && !url.startsWith('//') && !/[?#\\]|\/\.\.?(\/|$)/.test(url)) return `${method.toUpperCase()} ${url}`.slice(0, 400);
  try {
    return `${method.toUpperCase()} ${new URL(url, pageUrl).pathname}`.slice(0, 400);
  } catch {
    return method.toUpperCase();
  }
}
