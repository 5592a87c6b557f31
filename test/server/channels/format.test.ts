// The payloads each channel gets, built without I/O: facts in human numbers and UTC dates, user text escaped for
// its target, every documented length limit kept — also for absurdly long names.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DISCORD_COLORS,
  discordPayload,
  emailMessage,
  escapeMrkdwn,
  formatCredits,
  formatTime,
  slackPayload,
  truncate,
  webhookPayload,
} from '../../../server/channels/format';
import type { Alert, DeliveryMessage } from '../../../shared/schemas/alerts';
import { checkDiscordPayload, checkSlackPayload, firedMessage, resolvedMessage, sampleAlert, sampleWorkspace, testMessage } from '../../support/receivers';
import { repoRoot } from '../../support/server';

const fired = firedMessage();
const resolved = resolvedMessage();
const test = testMessage();

/** Everything a user can name, far past every limit, with markup in it. */
function longAlert(): Alert {
  const long = (s: string, n: number) => s.repeat(Math.ceil(n / s.length)).slice(0, n);
  const entries = (prefix: string) =>
    Array.from({ length: 12 }, (_, i) => ({ key: `${prefix}${i}`, credits: 1000 - i, calls: 10 + i, label: long(`<${prefix} & *bold* ${i}> `, 300) }));
  return sampleAlert({
    title: long('Integration credits 80% used by a very long app name ', 400),
    ruleName: long('rule <x> ', 300),
    detail: long('Detail with <tags> & *stars* and 😀 emoji. ', 6000),
    resolvedBecause: long('because <reasons> & more ', 3000),
    top: { apps: entries('app'), members: entries('mem'), actions: entries('Core.Action') },
  });
}

const allText = (x: unknown) => JSON.stringify(x);

describe('human numbers and dates', () => {
  it.each([
    [1950, '1,950'],
    [10000, '10,000'],
    [0.3, '0.3'],
    [12.54, '12.5'],
    [120.5, '121'],
    [410.4, '410'],
    [0, '0'],
  ])('formatCredits(%s) = %s', (x, s) => expect(formatCredits(x)).toBe(s));

  it.each([
    ['2026-12-01T09:00:00Z', undefined, 'Dec 1, 09:00 UTC'],
    ['2026-11-29T14:05:00.000Z', '2026-11-25T09:30:00Z', 'Nov 29, 14:05 UTC'],
    ['2027-01-03T00:00:00Z', '2026-12-20T00:00:00Z', 'Jan 3 2027, 00:00 UTC'],
    ['2026-03-01T23:59:00+02:00', undefined, 'Mar 1, 21:59 UTC'],
  ])('formatTime(%s, %s) = %s', (iso, ref, s) => expect(formatTime(iso, ref)).toBe(s));

  it.each([
    ['short', 10, 'short'],
    ['abcdefghijkl', 5, 'abcd…'],
    ['ab&amp;cd', 5, 'ab…'],
    ['a😀b', 2, 'a…'],
    ['abc\\*def', 5, 'abc…'],
  ])('truncate(%j, %i) = %j', (s, n, out) => {
    expect(truncate(s, n)).toBe(out);
    expect(truncate(s, n).length).toBeLessThanOrEqual(n);
  });
});

describe('Slack', () => {
  it('a fired alert: header, the facts in mrkdwn, top apps/members/actions, a fallback text', () => {
    const p = slackPayload(fired);
    expect(checkSlackPayload(p)).toEqual([]);
    expect(p.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: '🔴 Integration credits 80% used', emoji: true } });
    const body = allText(p.blocks);
    expect(body).toContain('1,950 of 10,000 integration credits left');
    expect(body).toContain('*Resets:* Dec 1, 09:00 UTC');
    expect(body).toContain('~410/day; runs out Nov 29, 14:00 UTC, before the reset');
    expect(body).toContain('*Top apps:* Shop: 320 (160 calls) · CRM &amp; &lt;Leads&gt;: 12.5 (41 calls) · no app: 3 (3 calls)');
    expect(body).toContain('*Top members:* Ann: 300 (150 calls) · bob: 140 (50 calls)');
    expect(body).toContain('Core.InvokeLLM: 280 (140 calls)');
    expect(body).not.toContain('<Leads>');
    expect(body).not.toContain('Resolved');
    expect(p.text).toBe('Critical: Integration credits 80% used — 1,950 of 10,000 integration credits left (Acme)');
  });

  it('a resolved alert says "Resolved: <because>" up front', () => {
    const p = slackPayload(resolved);
    expect(checkSlackPayload(p)).toEqual([]);
    expect(p.blocks[0]).toMatchObject({ type: 'header', text: { type: 'plain_text', text: '✅ Resolved: Integration credits 80% used' } });
    expect(p.blocks[1]).toEqual({
      type: 'section',
      text: { type: 'mrkdwn', text: '*Resolved:* a top-up of 5,000 credits brought usage under 80% (Nov 25, 11:00 UTC)' },
    });
    expect(p.text).toBe('Resolved: Integration credits 80% used (Acme)');
    expect(allText(p)).toContain('*Left when fired:* 1,950 of 10,000 integration credits left');
  });

  it('long names are cut to the documented limits and stay escaped', () => {
    const p = slackPayload({ type: 'alert', alert: longAlert(), workspace: sampleWorkspace });
    expect(checkSlackPayload(p)).toEqual([]);
    const header = p.blocks[0] as { text: { text: string } };
    expect(header.text.text.length).toBeLessThanOrEqual(150);
    expect(header.text.text.endsWith('…')).toBe(true);
    expect(allText(p)).not.toMatch(/&(?!amp;|lt;|gt;)/);
    // five of each top list, no more
    const ctx = p.blocks.find((b) => b.type === 'context') as { elements: { text: string }[] };
    expect(ctx.elements[0].text.split(' · ')).toHaveLength(5);
    expect(checkSlackPayload(slackPayload({ type: 'alert.resolved', alert: longAlert(), workspace: sampleWorkspace }))).toEqual([]);
  });

  it('mrkdwn escaping covers exactly &, < and >', () => {
    expect(escapeMrkdwn('<!channel> a&b > c *d*')).toBe('&lt;!channel&gt; a&amp;b &gt; c *d*');
  });
});

describe('Discord', () => {
  it.each([
    ['critical', 'alert', 0xe5484d],
    ['warning', 'alert', 0xf5a524],
    ['info', 'alert', 0x30a46c],
    ['critical', 'alert.resolved', 0x30a46c],
  ] as const)('%s %s → color %i', (severity, type, color) => {
    const p = discordPayload({ type, alert: sampleAlert({ severity }), workspace: sampleWorkspace } as DeliveryMessage);
    expect(p.embeds[0].color).toBe(color);
    expect(checkDiscordPayload(p)).toEqual([]);
  });

  it('a fired alert: title, facts as fields, top lists, ISO timestamp, footer, no mentions', () => {
    const p = discordPayload(fired);
    expect(checkDiscordPayload(p)).toEqual([]);
    const e = p.embeds[0];
    expect(e.title).toBe('Integration credits 80% used');
    expect(e.color).toBe(DISCORD_COLORS.critical);
    expect(e.timestamp).toBe('2026-11-25T09:30:00.000Z');
    expect(e.footer).toEqual({ text: 'Creditwatch' });
    expect(p.allowed_mentions).toEqual({ parse: [] });
    expect(e.fields.find((f) => f.name === 'Left')).toEqual({ name: 'Left', value: '1,950 of 10,000 integration credits left', inline: true });
    expect(e.fields.find((f) => f.name === 'Resets')?.value).toBe('Dec 1, 09:00 UTC');
    expect(e.fields.find((f) => f.name === 'Top apps')?.value).toContain('CRM & \\<Leads\\>: 12.5 (41 calls)');
    expect(e.fields.find((f) => f.name === 'App')?.value).toBe('Shop (app\\_shop)');
  });

  it('a resolved alert leads with "Resolved:" and is green', () => {
    const e = discordPayload(resolved).embeds[0];
    expect(e.title).toBe('Resolved: Integration credits 80% used');
    expect(e.description).toMatch(/^\*\*Resolved:\*\* a top-up of 5,000 credits brought usage under 80%/);
    expect(e.timestamp).toBe('2026-11-25T11:00:00.000Z');
  });

  it('long names are cut to the documented limits, the 6,000 total included', () => {
    for (const type of ['alert', 'alert.resolved'] as const) {
      const p = discordPayload({ type, alert: longAlert(), workspace: sampleWorkspace });
      expect(checkDiscordPayload(p)).toEqual([]);
      expect(p.embeds[0].title.length).toBeLessThanOrEqual(256);
      expect(p.embeds[0].fields.length).toBeLessThanOrEqual(25);
    }
  });

  it('mentions, masked links and markdown in names are escaped', () => {
    const alert = sampleAlert({ top: { apps: [{ key: 'x', credits: 1, calls: 1, label: '<@123> [click](http://evil) **b**' }], members: [], actions: [] } });
    const v = discordPayload({ type: 'alert', alert, workspace: sampleWorkspace }).embeds[0].fields.find((f) => f.name === 'Top apps')!.value;
    expect(v).toBe('• \\<@123\\> \\[click\\](http://evil) \\*\\*b\\*\\*: 1 (1 call)');
  });
});

describe('webhook envelope', () => {
  it.each([
    ['alert', 'alert.fired', '2026-11-25T09:30:00.000Z'],
    ['alert.resolved', 'alert.resolved', '2026-11-25T11:00:00.000Z'],
  ] as const)('%s → type %s with the whole alert and the workspace', (type, out, ts) => {
    const alert = sampleAlert();
    const p = webhookPayload({ type, alert, workspace: sampleWorkspace });
    expect(p).toEqual({ type: out, timestamp: ts, data: { workspace: sampleWorkspace, alert } });
  });

  it('test → type "test"', () => {
    expect(webhookPayload(test)).toMatchObject({ type: 'test', timestamp: '2026-11-25T09:30:00.000Z', data: { workspace: sampleWorkspace } });
  });
});

describe('email', () => {
  it('subject with severity, the facts in text, escaped HTML', () => {
    const m = emailMessage(fired);
    expect(m.subject).toBe('[Creditwatch] Critical: Integration credits 80% used');
    expect(m.text).toContain('Left: 1,950 of 10,000 integration credits left');
    expect(m.text).toContain('Resets: Dec 1, 09:00 UTC');
    expect(m.text).toContain('Forecast: ~410/day; runs out Nov 29, 14:00 UTC, before the reset');
    expect(m.text).toContain('  - CRM & <Leads>: 12.5 (41 calls)');
    expect(m.html).toContain('CRM &amp; &lt;Leads&gt;: 12.5 (41 calls)');
    expect(m.html).not.toContain('<Leads>');
  });

  it.each([
    [resolved, '[Creditwatch] Resolved: Integration credits 80% used', 'Resolved: a top-up of 5,000 credits brought usage under 80%'],
    [test, '[Creditwatch] Test message', 'alerts will arrive here'],
  ])('%#: subject and text', (msg, subject, text) => {
    const m = emailMessage(msg);
    expect(m.subject).toBe(subject);
    expect(m.text).toContain(text);
  });

  it('a subject never carries a line break (no header injection) and stays short', () => {
    const m = emailMessage({ type: 'alert', alert: sampleAlert({ title: 'x\r\nBcc: evil@example.com ' + 'y'.repeat(500) }), workspace: sampleWorkspace });
    expect(m.subject).not.toMatch(/[\r\n]/);
    expect(m.subject.length).toBeLessThanOrEqual(200);
  });
});

describe('every format', () => {
  it.each([
    ['fired', fired],
    ['resolved', resolved],
    ['test', test],
    ['without a pool (a burst)', { type: 'alert', alert: sampleAlert({ pool: undefined, condition: 'burst', kind: 'message' }), workspace: sampleWorkspace } as DeliveryMessage],
  ])('%s: every payload is valid', (_name, msg) => {
    expect(checkSlackPayload(slackPayload(msg))).toEqual([]);
    expect(checkDiscordPayload(discordPayload(msg))).toEqual([]);
    expect(webhookPayload(msg).type).toMatch(/^(alert\.fired|alert\.resolved|test)$/);
    expect(emailMessage(msg).subject).toMatch(/^\[Creditwatch\] /);
  });

  it('is pure: same input, same output; no I/O, clock or randomness in the module', () => {
    expect(slackPayload(fired)).toEqual(slackPayload(fired));
    const src = readFileSync(join(repoRoot, 'server/channels/format.ts'), 'utf8');
    expect(src).not.toMatch(/from ['"](node:|fs|http|nodemailer)/);
    expect(src).not.toMatch(/Date\.now\(\)|new Date\(\)|Math\.random\(/);
  });
});
