// The Base44 call classifier (shared/base44): every billed URL shape of base44-facts.md §3, what is not billed,
// outcomes and exact credits, page contexts, `base44 dev`'s free local calls, and hostile or broken input.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { appIdFromPage, classifyCall, contextOf, isCandidateUrl, replyMeta, replyMetaSchema, type ObservedCall, type ReplyMeta } from '../../../shared/base44';
import { priceFor } from '../../../shared/ledger/prices';
import { actionSchema } from '../../../shared/schemas/events';

const ID = '698fc81203f85a20f281d9dc';
const API = `/api/apps/${ID}`;
const PAGE = 'https://myapp.base44.app/dashboard?tab=1';
const LIMIT_REPLY = { message: 'You have reached the limit of integrations for this month', extra_data: { reason: 'integration_credits_limit_reached' } };

const post = (url: string, extra: Partial<ObservedCall> = {}): ObservedCall => ({ url, method: 'POST', status: 200, pageUrl: PAGE, ...extra });

// [url, pageUrl, action]
const billed: [string, string, string][] = [
  [`${API}/integration-endpoints/Core/InvokeLLM`, PAGE, 'Core.InvokeLLM'],
  [`https://myapp.base44.app${API}/integration-endpoints/Core/SendEmail`, PAGE, 'Core.SendEmail'],
  [`${API}/integration-endpoints/Core/InvokeLLM?debug=1#x`, PAGE, 'Core.InvokeLLM'],
  [`${API}/integration-endpoints/Core/GenerateImage/`, PAGE, 'Core.GenerateImage'],
  [`https://base44.app${API}/integration-endpoints/Core/UploadFile`, 'https://shop.example.com/cart', 'Core.UploadFile'],
  [`//base44.app${API}/integration-endpoints/Core/ExtractDataFromUploadedFile`, 'https://shop.example.com/', 'Core.ExtractDataFromUploadedFile'],
  [`${API}/integration-endpoints/installable/Slack/integration-endpoints/PostMessage`, PAGE, 'installable:Slack.PostMessage'],
  [`https://base44.app${API}/integration-endpoints/installable/Twilio/integration-endpoints/SendSMS?a=b`, 'https://x.io/', 'installable:Twilio.SendSMS'],
  [`${API}/integrations/custom/my-crm/listContacts`, PAGE, 'custom:my-crm/listContacts'],
  [`${API}/integrations/custom/weather_api/get.forecast?city=Oslo`, PAGE, 'custom:weather_api/get.forecast'],
  [`${API}/connectors/googlecalendar/call`, PAGE, 'connector:googlecalendar'],
  [`${API}/connectors/google%5Fsheets/call`, PAGE, 'connector:google_sheets'],
  [`https://base44.app${API}/connectors/%67mail/call`, 'https://x.io/', 'connector:gmail'],
  [`${API}/agents/conversations/v2/66a1b2c3d4e5f60718293a4b/messages`, PAGE, 'agent.message'],
  [`${API}/agents/conversations/v2/conv_1/messages?stream=true`, PAGE, 'agent.message'],
  [`${API}/ai/openai/v1/chat/completions`, PAGE, 'ai-gateway'],
  [`https://base44.app${API}/ai/openai/v1/responses`, 'https://x.io/', 'ai-gateway'],
  [`${API}/ai/typesafe/v1/generate/object`, PAGE, 'ai-gateway'],
];

// POST 200 to these is not billed (or not Base44, or not a name we accept).
const notBilled: [string, string][] = [
  ['entities create', `${API}/entities/Todo`],
  ['entities bulk', `${API}/entities/Todo/bulk`],
  ['auth login', `${API}/auth/login`],
  ['auth me', `${API}/entities/User/me`],
  ['app-logs', `/api/app-logs/${ID}/log-user-in-app/Home`],
  ['analytics', `${API}/analytics/track/batch`],
  ['functions', `${API}/functions/sendReport`],
  ['conversation create', `${API}/agents/conversations`],
  ['conversation v2 itself', `${API}/agents/conversations/v2/c1`],
  ['v1 conversation messages', `${API}/agents/conversations/c1/messages`],
  ['whatsapp connect', `${API}/agents/support/whatsapp`],
  ['connector token', `${API}/external-auth/tokens/googlecalendar`],
  ['app-user connector', `${API}/app-user-auth/connectors/abc123/initiate`],
  ['connector without /call', `${API}/connectors/googlecalendar`],
  ['connector /call/extra', `${API}/connectors/googlecalendar/call/extra`],
  ['Core without endpoint', `${API}/integration-endpoints/Core`],
  ['Core extra segment', `${API}/integration-endpoints/Core/InvokeLLM/extra`],
  ['installable without endpoint', `${API}/integration-endpoints/installable/Slack`],
  ['unknown integration package path', `${API}/integration-endpoints/Slack/PostMessage`],
  ['custom without op', `${API}/integrations/custom/my-crm`],
  ['ai other provider', `${API}/ai/anthropic/v1/messages`],
  ['ai other version', `${API}/ai/openai/v2/chat/completions`],
  ['ai base only', `${API}/ai/openai/v1/`],
  ['not under /api', `/apps/${ID}/integration-endpoints/Core/InvokeLLM`],
  ['/api/apps deeper in the path', `/v1/api/apps/${ID}/integration-endpoints/Core/InvokeLLM`],
  ['shape only in the query', `/search?next=${API}/integration-endpoints/Core/InvokeLLM`],
  ['dot segments into entities', `${API}/integration-endpoints/../entities/Todo`],
  ['dot segments out of entities (not a candidate)', `${API}/entities/../integration-endpoints/Core/InvokeLLM`],
  ['app id __proto__', '/api/apps/__proto__/integration-endpoints/Core/InvokeLLM'],
  ['app id constructor', '/api/apps/constructor/connectors/slack/call'],
  ['app id with a space', '/api/apps/a%20b/integration-endpoints/Core/InvokeLLM'],
  ['app id of 65 chars', `/api/apps/${'a'.repeat(65)}/integration-endpoints/Core/InvokeLLM`],
  ['endpoint with a space', `${API}/integration-endpoints/Core/Invoke%20LLM`],
  ['connector type with an encoded slash', `${API}/connectors/a%2F..%2Fentities/call`],
  ['connector type badly encoded', `${API}/connectors/%E0%A4%A/call`],
  ['name of 49 chars', `${API}/integration-endpoints/Core/${'A'.repeat(49)}`],
  ['data: URL', `data:text/plain,${API}/integration-endpoints/Core/InvokeLLM`],
  ['ftp: URL', `ftp://base44.app${API}/integration-endpoints/Core/InvokeLLM`],
];

describe('billed URL shapes', () => {
  it.each(billed)('%s (page %s) → %s', (url, pageUrl, action) => {
    expect(isCandidateUrl(url)).toBe(true);
    expect(classifyCall(post(url, { pageUrl }))).toEqual({
      action, kind: 'integration', appId: ID, context: 'published', outcome: 'ok', credits: null, exact: false,
    });
  });

  it.each(billed.map(([, , action]) => action))('%s is a valid event action with a price', (action) => {
    expect(actionSchema.safeParse(action).success).toBe(true);
    expect(priceFor(action).key).not.toBeNull();
  });
});

describe('not billed', () => {
  it.each(notBilled)('%s', (_, url) => expect(classifyCall(post(url))).toBeNull());

  it.each(['GET', 'get', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', ''])('%s of a billed shape', (method) => {
    for (const [url, pageUrl] of billed) expect(classifyCall(post(url, { method, pageUrl }))).toBeNull();
  });

  it.each(['POST', 'post', 'Post'])('%s is billed in any case', (method) => {
    expect(classifyCall(post(`${API}/integration-endpoints/Core/InvokeLLM`, { method }))?.action).toBe('Core.InvokeLLM');
  });
});

describe('isCandidateUrl agrees with classifyCall', () => {
  const urls = [...billed.map(([url]) => url), ...notBilled.map(([, url]) => url), '/', '', `${API}/entities/Todo?x=/connectors/`];
  it.each(urls)('%s', (url) => {
    if (!isCandidateUrl(url)) expect(classifyCall(post(url))).toBeNull();
    if (classifyCall(post(url))) expect(isCandidateUrl(url)).toBe(true);
  });

  it.each([
    [`${API}/entities/Todo`, false],
    [`${API}/agents/conversations`, false],
    [`${API}/external-auth/tokens/slack`, false],
    [`${API}/integration-endpoints/Core/InvokeLLM`, true],
    [`${API}/ai/anthropic/v1/messages`, true], // a candidate may still be classified null
  ])('%s → %s', (url, expected) => expect(isCandidateUrl(url)).toBe(expected));
});

// [name, status, reply, outcome, credits]
const coreOutcomes: [string, number, ReplyMeta | undefined, string, number | null][] = [
  ['200', 200, undefined, 'ok', null],
  ['201', 201, undefined, 'ok', null],
  ['204', 204, undefined, 'ok', null],
  ['200 ignores a credits_charged on non-connectors', 200, { creditsCharged: 7 }, 'ok', null],
  ['402 with the limit reason', 402, replyMeta(LIMIT_REPLY), 'out_of_credits', 0],
  ['402 without a reply', 402, undefined, 'out_of_credits', 0],
  ['402 with another reason', 402, { reason: 'plan_feature_unavailable' }, 'out_of_credits', 0],
  ['302', 302, undefined, 'failed', 0],
  ['400', 400, undefined, 'failed', 0],
  ['401', 401, undefined, 'failed', 0],
  ['404', 404, undefined, 'failed', 0],
  ['429', 429, undefined, 'failed', 0],
  ['500', 500, undefined, 'failed', 0],
  ['503', 503, undefined, 'failed', 0],
  ['0 (network error / aborted)', 0, undefined, 'failed', 0],
];

describe('outcome and credits', () => {
  it.each(coreOutcomes)('Core %s', (_, status, reply, outcome, credits) => {
    const c = classifyCall(post(`${API}/integration-endpoints/Core/InvokeLLM`, { status, reply }));
    expect(c).toMatchObject({ outcome, credits, exact: credits !== null });
  });

  it.each([
    ['agent', `${API}/agents/conversations/v2/c1/messages`],
    ['ai gateway', `${API}/ai/openai/v1/chat/completions`],
    ['custom', `${API}/integrations/custom/crm/list`],
  ])('%s: 500 is free, 402 is out of credits', (_, url) => {
    expect(classifyCall(post(url, { status: 500 }))).toMatchObject({ outcome: 'failed', credits: 0, exact: true });
    expect(classifyCall(post(url, { status: 402 }))).toMatchObject({ outcome: 'out_of_credits', credits: 0, exact: true });
  });

  const connectorOutcomes: [string, number, ReplyMeta | undefined, string, number | null][] = [
    ['sent, credits_charged 2', 200, replyMeta({ success: true, phase: 'sent', status_code: 200, data: null, credits_charged: 2 }), 'ok', 2],
    ['sent, credits_charged 0', 200, { creditsCharged: 0, phase: 'sent' }, 'ok', 0],
    ['provider 404 (success:false) still charged', 200, replyMeta({ success: false, phase: 'sent', status_code: 404, data: { error: 'x' }, credits_charged: 1 }), 'ok', 1],
    ['not_sent without credits_charged', 200, replyMeta({ success: false, phase: 'not_sent', status_code: null }), 'ok', 0],
    ['no reply metadata', 200, undefined, 'ok', null],
    ['sent without credits_charged', 200, { phase: 'sent' }, 'ok', null],
    ['credits_charged NaN (untrusted)', 200, { creditsCharged: Number.NaN }, 'ok', null],
    ['credits_charged negative (untrusted)', 200, { creditsCharged: -1 }, 'ok', null],
    ['credits_charged huge (untrusted)', 200, { creditsCharged: 1e9 }, 'ok', null],
    ['500 without a reply: may have reached the provider', 500, undefined, 'failed', null],
    ['500 with credits_charged', 500, { creditsCharged: 1 }, 'failed', 1],
    ['502 not_sent', 502, { phase: 'not_sent' }, 'failed', 0],
    ['status 0', 0, undefined, 'failed', null],
    ['402 with the limit reason', 402, replyMeta(LIMIT_REPLY), 'out_of_credits', 0],
    ['402 with credits_charged', 402, { creditsCharged: 3 }, 'out_of_credits', 0],
  ];
  it.each(connectorOutcomes)('connector %s', (_, status, reply, outcome, credits) => {
    const c = classifyCall(post(`${API}/connectors/googlecalendar/call`, { status, reply }));
    expect(c).toMatchObject({ action: 'connector:googlecalendar', outcome, credits, exact: credits !== null });
  });
});

describe('context', () => {
  // [pageUrl, localDev, context]
  it.each<[string, boolean, string]>([
    [`https://app.base44.com/apps/${ID}/editor/preview`, false, 'editor'],
    [`https://app.base44.com/apps/${ID}/editor/workspace/overview`, true, 'editor'],
    [`https://preview-sandbox--${ID}.base44.app/`, false, 'preview'],
    [`https://preview-sandbox--${ID}.base44.app/Home?x=1`, true, 'preview'],
    ['https://myapp.base44.app/', false, 'published'],
    ['https://myapp.base44.app/', true, 'published'],
    ['https://shop.example.com/cart', false, 'published'],
    ['https://base44.app/', false, 'published'],
    ['https://app.base44.com.evil.example/', false, 'published'],
    [`https://preview-sandbox--${ID}.base44.app.evil.example/`, false, 'published'],
    ['http://127.0.0.1:4173/', true, 'local-dev'],
    ['http://127.0.0.1:4173/', false, 'unknown'],
    ['http://localhost:5173/page', true, 'local-dev'],
    ['http://localhost:5173/page', false, 'unknown'],
    ['http://[::1]:5173/', true, 'local-dev'],
    ['http://[::1]:5173/', false, 'unknown'],
    ['http://127.0.0.2/', true, 'local-dev'],
    ['http://app.localhost:3000/', true, 'local-dev'],
    ['not a url', true, 'unknown'],
    ['', false, 'unknown'],
    ['about:blank', false, 'unknown'],
    ['chrome-extension://abcdefgh/popup.html', false, 'unknown'],
    ['file:///home/me/index.html', true, 'unknown'],
  ])('%s (localDev %s) → %s', (pageUrl, localDev, context) => {
    expect(contextOf(pageUrl, { localDev })).toBe(context);
    expect(classifyCall(post(`https://base44.app${API}/integration-endpoints/Core/InvokeLLM`, { pageUrl, localDev }))?.context).toBe(context);
  });

  it('defaults to no local dev', () => expect(contextOf('http://127.0.0.1:4173/')).toBe('unknown'));

  it.each<[string, string | undefined]>([
    [`https://app.base44.com/apps/${ID}/editor/preview`, ID],
    [`https://app.base44.com/apps/${ID}/editor/data?table=Todo`, ID],
    [`https://app.base44.com/apps/${ID}`, ID],
    [`https://preview-sandbox--${ID}.base44.app/Home`, ID],
    ['https://app.base44.com/', undefined],
    ['https://app.base44.com/apps/', undefined],
    ['https://app.base44.com/apps/__proto__/editor/preview', undefined],
    ['https://app.base44.com/apps/a%20b/editor/preview', undefined],
    ['https://preview-sandbox--__proto__.base44.app/', undefined],
    ['https://myapp.base44.app/', undefined],
    [`https://shop.example.com/apps/${ID}/editor/preview`, undefined],
    ['not a url', undefined],
  ])('appIdFromPage(%s) → %s', (pageUrl, appId) => expect(appIdFromPage(pageUrl)).toBe(appId));
});

describe('base44 dev: free local uploads, proxied everything else', () => {
  const LOCAL = 'http://127.0.0.1:4173/';
  // [name, url, pageUrl, localDev, context, credits]
  it.each<[string, string, string, boolean, string, number | null]>([
    ['UploadFile, relative', `${API}/integration-endpoints/Core/UploadFile`, LOCAL, true, 'local-dev', 0],
    ['UploadPrivateFile, same origin', `http://127.0.0.1:4173${API}/integration-endpoints/Core/UploadPrivateFile`, LOCAL, true, 'local-dev', 0],
    ['CreateFileSignedUrl, localhost', `${API}/integration-endpoints/Core/CreateFileSignedUrl`, 'http://localhost:4173/x', true, 'local-dev', 0],
    ['UploadFile straight to production', `https://base44.app${API}/integration-endpoints/Core/UploadFile`, LOCAL, true, 'local-dev', null],
    ['UploadFile to another port', `http://127.0.0.1:9999${API}/integration-endpoints/Core/UploadFile`, LOCAL, true, 'local-dev', null],
    ['UploadFile to localhost from 127.0.0.1', `http://localhost:4173${API}/integration-endpoints/Core/UploadFile`, LOCAL, true, 'local-dev', null],
    ['InvokeLLM is proxied', `${API}/integration-endpoints/Core/InvokeLLM`, LOCAL, true, 'local-dev', null],
    ['connector is proxied', `${API}/connectors/slack/call`, LOCAL, true, 'local-dev', null],
    ['agent is proxied', `${API}/agents/conversations/v2/c1/messages`, LOCAL, true, 'local-dev', null],
    ['UploadFile without opting in', `${API}/integration-endpoints/Core/UploadFile`, LOCAL, false, 'unknown', null],
    ['UploadFile on a published app', `${API}/integration-endpoints/Core/UploadFile`, PAGE, true, 'published', null],
  ])('%s', (_, url, pageUrl, localDev, context, credits) => {
    expect(classifyCall(post(url, { pageUrl, localDev }))).toMatchObject({ context, outcome: 'ok', credits, exact: credits !== null });
  });
});

describe('malformed input never throws', () => {
  const call = `${API}/integration-endpoints/Core/InvokeLLM`;
  it.each<[string, unknown]>([
    ['empty url', post('')],
    ['unparseable absolute url', post(`http://[bad${call}`)],
    ['relative url, unparseable page', post(call, { pageUrl: 'not a url' })],
    ['relative url, empty page', post(call, { pageUrl: '' })],
    ['url not a string', post(42 as unknown as string)],
    ['method missing', { url: call, status: 200, pageUrl: PAGE }],
    ['null call', null],
    ['undefined call', undefined],
  ])('%s → null', (_, input) => expect(classifyCall(input as ObservedCall)).toBeNull());

  it('an absolute url with an unparseable page is still classified, context unknown', () => {
    expect(classifyCall(post(`https://base44.app${call}`, { pageUrl: 'not a url' }))).toMatchObject({ action: 'Core.InvokeLLM', context: 'unknown' });
  });

  it.each([null, undefined, 42, '', 'x'])('isCandidateUrl(%s) is false', (url) => expect(isCandidateUrl(url as string)).toBe(false));
});

describe('replyMeta reads only cost metadata', () => {
  it.each<[string, unknown, ReplyMeta | undefined]>([
    ['connector reply', { success: true, phase: 'sent', status_code: 200, data: { secret: 'x' }, data_base64: null, headers: { a: 'b' }, credits_charged: 2 }, { creditsCharged: 2, phase: 'sent' }],
    ['402 reply', LIMIT_REPLY, { reason: 'integration_credits_limit_reached' }],
    ['not_sent', { phase: 'not_sent' }, { phase: 'not_sent' }],
    ['fractional credits', { credits_charged: 0.5 }, { creditsCharged: 0.5 }],
    ['LLM text', 'The answer is 42', undefined],
    ['LLM object', { answer: 42, usage: { prompt_tokens: 5 } }, undefined],
    ['empty object', {}, undefined],
    ['array', [{ credits_charged: 2 }], undefined],
    ['null', null, undefined],
    ['number', 42, undefined],
    ['credits as a string', { credits_charged: '2' }, undefined],
    ['credits negative', { credits_charged: -1 }, undefined],
    ['credits too large', { credits_charged: 100001 }, undefined],
    ['credits Infinity', { credits_charged: Infinity }, undefined],
    ['phase with capitals', { phase: 'Sent' }, undefined],
    ['phase as free text', { phase: 'sent to bob@example.com' }, undefined],
    ['phase too long', { phase: 'a'.repeat(65) }, undefined],
    ['reason not under extra_data', { reason: 'integration_credits_limit_reached' }, undefined],
    ['extra_data an array', { extra_data: ['x'] }, undefined],
    ['inherited fields', Object.create({ credits_charged: 5, phase: 'sent' }), undefined],
    ['JSON __proto__ key', JSON.parse('{"__proto__": {"credits_charged": 5}}'), undefined],
    ['throwing getter', Object.defineProperty({}, 'credits_charged', { enumerable: true, get() { throw new Error('boom'); } }), undefined],
  ])('%s', (_, json, meta) => expect(replyMeta(json)).toEqual(meta));

  it.each<[string, unknown, boolean]>([
    ['full', { creditsCharged: 2, phase: 'sent', reason: 'integration_credits_limit_reached' }, true],
    ['empty', {}, true],
    ['extra key', { creditsCharged: 2, data: 'x' }, false],
    ['negative', { creditsCharged: -1 }, false],
    ['too large', { creditsCharged: 100001 }, false],
    ['Infinity', { creditsCharged: Infinity }, false],
    ['NaN', { creditsCharged: Number.NaN }, false],
    ['phase with spaces', { phase: 'not sent' }, false],
    ['reason too long', { reason: 'a'.repeat(65) }, false],
    ['not an object', 'sent', false],
  ])('replyMetaSchema: %s → %s', (_, input, ok) => expect(replyMetaSchema.safeParse(input).success).toBe(ok));
});

describe('shared/base44 is pure', () => {
  const dir = fileURLToPath(new URL('../../../shared/base44/', import.meta.url));
  it.each(readdirSync(dir).filter((f) => f.endsWith('.ts')))('%s', (file) => {
    const src = readFileSync(dir + file, 'utf8');
    for (const [, spec] of src.matchAll(/\bfrom\s+'([^']+)'/g)) {
      expect(spec === 'zod/mini' || spec.startsWith('./') || spec.startsWith('../schemas/'), `${file} imports ${spec}`).toBe(true);
    }
    expect(src).not.toMatch(/Date\.now\(|new Date\(\)|Math\.random\(|performance\.now\(|process\.|require\(|fetch\(/);
    expect(src.startsWith('//'), `${file} starts with a header comment`).toBe(true);
  });
});

describe('relative-path fast path agrees with a full URL parse', () => {
  const page = 'https://myapp.base44.app/dashboard?x=1';
  const APP = '698fc81203f85a20f281d9dc';
  it.each([
    `/api/apps/${APP}/integration-endpoints/Core/InvokeLLM`,
    `/api/apps/${APP}/integration-endpoints/Core/InvokeLLM?token=abc#frag`,
    `/api/apps/${APP}/integration-endpoints/Core/InvokeLLM/`,
    `/api/apps/${APP}/connectors/google%5Fsheets/call`,
    `/api/apps/${APP}/x/../integration-endpoints/Core/SendEmail`,
    `/api/apps/${APP}/./integration-endpoints/Core/SendEmail`,
    `/api/apps/${APP}/integration-endpoints/Core/%2e%2e/x`,
    `/api/apps/${APP}\\integration-endpoints/Core/InvokeLLM`,
    `/api/apps/${APP}/agents/conversations/v2/c1/messages`,
    `/api/apps/${APP}/entities/Todo`,
    `/api/apps/__proto__/integration-endpoints/Core/InvokeLLM`,
  ])('%s', (url) => {
    const relative = classifyCall({ url, method: 'POST', status: 200, pageUrl: page });
    // The same raw path on an absolute URL: that one always goes through the URL parser.
    const absolute = classifyCall({ url: `https://myapp.base44.app${url}`, method: 'POST', status: 200, pageUrl: page });
    expect(relative).toEqual(absolute);
  });
});
