// What GraphiQL opens with: a query that works on any account, and the header it needs.
export const GRAPHIQL_DEFAULT_QUERY = `# Welcome to the contacts service.
#
# Every request needs your API key. Open "Headers" below and set:
#   { "Authorization": "Bearer sk_live_…" }
# (npm start prints a key on a fresh embedded database; \`npm run cli -- accounts create\` makes more.)

query FirstContacts {
  contacts(first: 10) {
    totalCount
    edges {
      node {
        id
        email
        firstName
        lastName
        properties
        unsubscribed
        createdAt
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
`;

// ASCII only: browsers refuse to send a header with any other character (an ellipsis here made
// GraphiQL's first request fail before the user typed anything).
export const GRAPHIQL_DEFAULT_HEADERS = JSON.stringify({ Authorization: 'Bearer YOUR_API_KEY' }, null, 2);
