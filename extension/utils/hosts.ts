// Where the extension observes calls. Fixed hosts are in the manifest; custom domains and `base44 dev` on
// loopback are added at run time (optional permissions + registered content scripts, see background/domains.ts).
export const PAGE_MATCHES = ['https://*.base44.app/*', 'https://app.base44.com/*'];
export const LOCAL_DEV_MATCHES = ['http://localhost/*', 'http://127.0.0.1/*'];

export const isLoopbackHost = (host: string) => host === 'localhost' || host === '127.0.0.1' || host === '[::1]';

export const domainMatches = (domain: string) => [`https://${domain}/*`];
