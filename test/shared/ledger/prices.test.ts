import { describe, expect, it } from 'vitest';
import { DEFAULT_PRICES, mergePrices, priceFor, type PriceOverride } from '../../../shared/ledger/prices';

type Row = [string, Record<string, PriceOverride | null>, { customEmailDomain?: boolean }, { credits: number; certainty: string; key: string | null }];

describe('priceFor', () => {
  it.each<Row>([
    ['Core.InvokeLLM', {}, {}, { credits: 1, certainty: 'docs', key: 'Core.InvokeLLM' }],
    ['Core.SendEmail', {}, {}, { credits: 1, certainty: 'docs', key: 'Core.SendEmail' }],
    ['Core.SendEmail', {}, { customEmailDomain: true }, { credits: 2, certainty: 'docs', key: 'Core.SendEmail' }],
    ['Core.InvokeLLM', {}, { customEmailDomain: true }, { credits: 1, certainty: 'docs', key: 'Core.InvokeLLM' }],
    ['Core.GenerateImage', {}, {}, { credits: 1, certainty: 'estimate', key: 'Core.GenerateImage' }],
    ['Core.ExtractDataFromUploadedFile', {}, {}, { credits: 1, certainty: 'estimate', key: 'Core.ExtractDataFromUploadedFile' }],
    ['Core.TranscribeAudio', {}, {}, { credits: 1, certainty: 'estimate', key: 'Core.*' }],
    ['installable:Foo/Bar', {}, {}, { credits: 1, certainty: 'estimate', key: 'installable:*' }],
    ['agent.message', {}, {}, { credits: 3, certainty: 'docs', key: 'agent.message' }],
    ['agent.whatsapp', {}, {}, { credits: 1, certainty: 'docs', key: 'agent.whatsapp' }],
    ['ai-gateway', {}, {}, { credits: 1, certainty: 'docs', key: 'ai-gateway' }],
    ['connector:googlemaps', {}, {}, { credits: 0, certainty: 'exact', key: 'connector:*' }],
    ['custom:crm/listContacts', {}, {}, { credits: 0, certainty: 'uncertain', key: 'custom:*' }],
    ['sms', {}, {}, { credits: 1, certainty: 'uncertain', key: 'sms' }],
    ['builder.prompt', {}, {}, { credits: 0, certainty: 'uncertain', key: null }],
    // A "*" in an action is not a key lookup.
    ['Core.*', {}, {}, { credits: 1, certainty: 'estimate', key: 'Core.*' }],
    // Overrides
    ['Core.InvokeLLM', { 'Core.InvokeLLM': { credits: 2, note: 'gpt-5 model' } }, {}, { credits: 2, certainty: 'override', key: 'Core.InvokeLLM' }],
    ['Core.InvokeLLM', { 'Core.*': { credits: 3 } }, {}, { credits: 1, certainty: 'docs', key: 'Core.InvokeLLM' }],
    ['Core.TranscribeAudio', { 'Core.*': { credits: 3 } }, {}, { credits: 3, certainty: 'override', key: 'Core.*' }],
    ['connector:googlemaps', { 'connector:google*': { credits: 2 } }, {}, { credits: 2, certainty: 'override', key: 'connector:google*' }],
    ['connector:googlemaps', { 'conn*': { credits: 5 } }, {}, { credits: 0, certainty: 'exact', key: 'connector:*' }],
    ['builder.discuss', { 'builder.discuss': { credits: 0.3 } }, {}, { credits: 0.3, certainty: 'override', key: 'builder.discuss' }],
    ['Core.SendEmail', { 'Core.SendEmail': { credits: 1.5 } }, { customEmailDomain: true }, { credits: 1.5, certainty: 'override', key: 'Core.SendEmail' }],
    ['Core.InvokeLLM', { 'Core.InvokeLLM': null }, {}, { credits: 1, certainty: 'docs', key: 'Core.InvokeLLM' }],
  ])('%s with %j %j', (action, overrides, opts, expected) => {
    const p = priceFor(action, overrides, opts);
    expect({ credits: p.credits, certainty: p.certainty, key: p.key }).toStrictEqual(expected);
    expect(p.source.length).toBeGreaterThan(0);
  });

  it("an override's note is its source", () => {
    expect(priceFor('Core.InvokeLLM', { 'Core.InvokeLLM': { credits: 2, note: 'gpt-5 model' } }).source).toBe('gpt-5 model');
  });
});

describe('mergePrices', () => {
  it('lays overrides over the defaults', () => {
    const merged = mergePrices(DEFAULT_PRICES, { 'Core.InvokeLLM': { credits: 2 }, 'builder.discuss': { credits: 0.3, note: 'docs' }, sms: null });
    expect(Object.keys(merged)).toHaveLength(Object.keys(DEFAULT_PRICES).length + 1);
    expect(merged['Core.InvokeLLM']).toStrictEqual({ credits: 2, certainty: 'override', source: 'price table override' });
    expect(merged['builder.discuss']).toStrictEqual({ credits: 0.3, certainty: 'override', source: 'docs' });
    expect(merged.sms).toStrictEqual(DEFAULT_PRICES.sms);
    expect(merged['connector:*'].certainty).toBe('exact');
  });
});
