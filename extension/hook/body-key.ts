// What makes two calls "identical" for loop detection: method, URL and body, reduced to a 32-bit hash in the
// page. Neither the body nor the hash ever leaves the page; only `repeat: true|false` does.
import { fnv1a } from '../../shared/base44/repeats';

// Hashing a 20 MB upload would slow the page: past this, the length stands in for the rest.
const MAX_HASHED = 64 * 1024;

function bodyKey(body: unknown): string {
  if (body == null) return '';
  if (typeof body === 'string') return body.length > MAX_HASHED ? `${body.slice(0, MAX_HASHED)}#${body.length}` : body;
  if (typeof URLSearchParams !== 'undefined' && body instanceof URLSearchParams) return body.toString();
  if (typeof FormData !== 'undefined' && body instanceof FormData) {
    let s = '';
    for (const [k, v] of body) s += `${k}=${typeof v === 'string' ? v.slice(0, 4096) : `file:${v.name}:${v.size}:${v.lastModified}`}&`;
    return s;
  }
  if (typeof Blob !== 'undefined' && body instanceof Blob) return `blob:${body.size}:${body.type}`;
  if (body instanceof ArrayBuffer || ArrayBuffer.isView(body)) return `bytes:${body.byteLength}`;
  return '?';
}

export function callHash(method: string, url: string, body: unknown): number {
  return fnv1a(bodyKey(body), fnv1a(`${method.toUpperCase()} ${url}\n`));
}
