// The documents that define the service are in the repository, and what the code serves keeps
// to them: schema.graphql is the contract with nothing broken, and every link of the README and
// docs/ resolves to a file of the repository.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { buildSchema, findBreakingChanges } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/process.js';

const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

describe('the contract', () => {
  it('schema.graphql contains docs/contract/contract.graphql with no breaking change', () => {
    const changes = findBreakingChanges(buildSchema(read('docs/contract/contract.graphql')), buildSchema(read('schema.graphql')));
    expect(changes).toEqual([]);
  });

  it('schema.graphql contains docs/contract/contract-events.graphql with no breaking change', () => {
    const contract = buildSchema(`${read('docs/contract/contract.graphql')}\n${read('docs/contract/contract-events.graphql')}`);
    expect(findBreakingChanges(contract, buildSchema(read('schema.graphql')))).toEqual([]);
  });

  it.each(['README.md', 'docs/README.md'])('every link of %s resolves inside the repository', (document) => {
    const links = [...read(document).matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1]!);
    expect(links.length).toBeGreaterThan(0);
    const broken = links
      .filter((link) => !/^(https?|mailto):/.test(link))
      .map((link) => join(dirname(join(ROOT, document)), link.split('#')[0]!))
      .filter((target) => !existsSync(target) || relative(ROOT, target).startsWith('..'));
    expect(broken).toEqual([]);
    // Nothing named outside the clone, linked or not.
    expect(read(document)).not.toMatch(/\.\.\/shared\//);
  });
});
