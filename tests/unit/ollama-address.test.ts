import { describe, expect, it } from 'vitest';
import { settingsPatchSchema } from '../../src/shared/contract';
import { ollamaAddressProblem } from '../../src/shared/ollama-address';

describe('the Ollama address the page may set', () => {
  it('takes Ollama on this computer, on the network, behind a proxy path, in every form OLLAMA_HOST takes', () => {
    for (const address of [
      'http://127.0.0.1:11434',
      'http://192.168.1.20:11434',
      'https://ollama.example.com/',
      'https://gpu-box.lan/ollama',
      'http://[::1]:11434',
      'http://[fd12:3456::7]:11434',
      'box:1234',
      ':8080',
      '10.0.0.5',
    ]) {
      expect(ollamaAddressProblem(address), address).toBeUndefined();
    }
  });

  it('refuses other schemes, credentials, queries and link-local addresses, in every spelling', () => {
    const cases: [string, RegExp][] = [
      ['file:///etc/passwd', /http/],
      ['ftp://box/', /http/],
      ['javascript:alert(1)', /full address/],
      ['http://me:secret@box:11434', /user name or password/],
      ['http://me@box:11434', /user name or password/],
      ['http://box:11434/?x=1', /“\?…”/],
      ['http://box:11434/#frag', /“#…”/],
      ['http://169.254.169.254/', /link-local/],
      ['169.254.169.254', /link-local/],
      ['http://2852039166/', /link-local/],
      ['http://0xa9.0xfe.0xa9.0xfe/', /link-local/],
      ['http://[fe80::1]:11434', /link-local/],
      ['http://[FEBF::1]/', /link-local/],
      ['http://[::ffff:169.254.169.254]/', /link-local/],
      ['http://[fd00:ec2::254]/', /link-local/],
      ['http://metadata.google.internal/', /link-local/],
    ];
    for (const [address, problem] of cases) expect(ollamaAddressProblem(address), address).toMatch(problem);
    // fe8 (0x0fe8) is not fe80::/10.
    expect(ollamaAddressProblem('http://[fe8::1]/')).toBeUndefined();
  });

  it('is the rule settings.update applies', () => {
    expect(settingsPatchSchema.safeParse({ ollamaHost: 'http://192.168.1.20:11434' }).success).toBe(true);
    expect(settingsPatchSchema.safeParse({ ollamaHost: null }).success).toBe(true);
    const refused = settingsPatchSchema.safeParse({ ollamaHost: 'http://169.254.169.254/latest' });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.message).toMatch(/link-local/);
  });
});
