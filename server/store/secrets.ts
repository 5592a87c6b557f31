// Secrets the server must keep but never show (Base44 Monitoring API keys) are sealed before they reach a
// record: AES-256-GCM under a key file in the data directory (`secret.key`, mode 0600, made on first use),
// bound to the workspace they belong to. The snapshot, the journal and their copies (backups, a journal kept
// after corruption, a file attached to a bug report) then hold no usable key. Whoever holds the whole data
// directory, key file included, can still unseal: this guards against leaked data files, not a taken machine.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';

const VERSION = 'v1';

export class SecretBox {
  private key: Buffer | null = null;

  constructor(private readonly file: string) {}

  /** Sealed text for `plain`, usable only with the same `context` (a workspace id). */
  seal(plain: string, context: string): string {
    const key = this.load(true)!;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(context));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [VERSION, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), body.toString('base64url')].join('.');
  }

  /** The plain text, or null when it cannot be unsealed (key file lost or replaced, text altered, other context). */
  open(sealed: string, context: string): string | null {
    try {
      const key = this.load(false);
      const [version, iv, tag, body] = sealed.split('.');
      if (!key || version !== VERSION || !iv || !tag || body === undefined) return null;
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(context));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      return null;
    }
  }

  private load(create: boolean): Buffer | null {
    if (this.key) return this.key;
    try {
      this.key = decodeKey(readFileSync(this.file, 'utf8'));
      return this.key;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || !create) {
        if (create) throw new Error(`${this.file} is not a Creditwatch key file; move it away to make a new one (sealed secrets must then be entered again)`);
        return null;
      }
    }
    const key = randomBytes(32);
    // 'wx': never overwrite a key file another process just made; it would orphan what that one sealed.
    const fd = openSync(this.file, 'wx', 0o600);
    try {
      writeSync(fd, key.toString('base64') + '\n');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    this.key = key;
    return key;
  }
}

function decodeKey(text: string): Buffer {
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== 32) throw new Error('bad key file');
  return key;
}
