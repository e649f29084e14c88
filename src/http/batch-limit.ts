// A batch over the limit is answered with one error result per operation sent, so a batching
// client (Apollo's BatchHttpLink, say), which matches results to operations by position, reports
// the limit for each operation instead of "results with length 1, expected length of 11".
// Yoga's own limit answers a single object; it is set high enough never to apply first (yoga.ts).
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { ErrorCode } from './error-codes.js';
import type { ServerContext } from './yoga.js';

/** Past this many operations the answer is one error: the body limit bounds a batch, but not to a size worth echoing. */
export const BATCH_ANSWERED_PER_OPERATION = 1000;

export function useBatchLimit(limit: number): Plugin<Record<string, unknown>, ServerContext> {
  const refused = new WeakSet<object>();
  const error = () =>
    new GraphQLError(`Batching is limited to ${limit} operations per request.`, {
      extensions: { code: 'LIMIT_EXCEEDED' satisfies ErrorCode, http: { status: 413 } },
    });
  return {
    onRequestParse() {
      return {
        onRequestParseDone({ requestParserResult, setRequestParserResult }) {
          if (!Array.isArray(requestParserResult) || requestParserResult.length <= limit) return;
          if (requestParserResult.length > BATCH_ANSWERED_PER_OPERATION) throw error();
          // Fresh, valid params (Yoga checks them after this plugin) that are never executed: an
          // operation sent as a non-object still gets its place in the answer.
          const marked = requestParserResult.map(() => ({ query: '{ __typename }' }));
          for (const params of marked) refused.add(params);
          setRequestParserResult(marked as never);
        },
      };
    },
    onParams({ params, setResult }) {
      if (refused.has(params)) setResult({ errors: [error()] });
    },
  };
}
