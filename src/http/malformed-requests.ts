// A request whose parameters cannot be read (GET /graphql?variables={, a JSON body that is not
// JSON) is the client's fault: a 400 that says what is wrong, not a 500. Yoga's own parsers let
// JSON.parse's SyntaxError through as an unexpected error.
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

export function useMalformedRequests(): Plugin {
  return {
    onRequestParse({ requestParser, setRequestParser }) {
      if (!requestParser) return;
      setRequestParser(async (request) => {
        try {
          return await requestParser(request);
        } catch (error) {
          if (!(error instanceof SyntaxError)) throw error;
          throw new GraphQLError(`The request's parameters are not valid JSON: ${error.message}`, {
            extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
          });
        }
      });
    },
  };
}
