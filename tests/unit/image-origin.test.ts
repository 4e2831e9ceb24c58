import { describe, expect, it } from 'vitest';
import { imageOrigin } from '../../src/main/stacks/image-origin';

describe('where a Compose file names a service’s image', () => {
  const yaml = [
    'services:',
    '  web:',
    '    image: ${WEB_IMAGE:-docker.io/library/nginx:1.27}',
    '  db:',
    '    ports: ["5432"]',
    '    image: postgres:16',
    '  plain:',
    '    image: $PLAIN',
    '  built:',
    '    build: .',
  ].join('\n');

  it('names the variable and the line', () => {
    expect(imageOrigin(yaml, 'web')).toEqual({ line: 3, variable: 'WEB_IMAGE' });
    expect(imageOrigin(yaml, 'plain')).toEqual({ line: 8, variable: 'PLAIN' });
  });
  it('names only the line when the image is written out', () => {
    expect(imageOrigin(yaml, 'db')).toEqual({ line: 6 });
  });
  it('says nothing for a service without an image line, or one not in the file', () => {
    expect(imageOrigin(yaml, 'built')).toEqual({});
    expect(imageOrigin(yaml, 'nope')).toEqual({});
    expect(imageOrigin('not: [a, compose', 'web')).toEqual({});
  });
});
