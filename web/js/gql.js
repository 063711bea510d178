// GraphQL over HTTP: POST /graphql with the token as Authorization: Bearer,
// exactly as any client of the public API would do it.
//
// request() resolves to the response body ({data, errors}); it throws an
// AuthError when the token is refused (401), and a NetworkError when mesd
// could not be reached or answered with something other than GraphQL (a
// proxy's 502): the caller then keeps what the operator typed and says so.
export class NetworkError extends Error {}
export class AuthError extends Error {}

// One error of a response, as the views use it.
export class GqlError extends Error {
  constructor(error) {
    super(error?.message ?? 'error');
    this.code = error?.extensions?.code ?? null;
    this.extensions = error?.extensions ?? {};
  }
}

export async function request(token, query, variables = {}) {
  let res;
  try {
    res = await fetch('/graphql', {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
      cache: 'no-store',
    });
  } catch (e) {
    throw new NetworkError(e.message);
  }
  if (res.status === 401) throw new AuthError('The token was refused.');
  let body;
  try {
    body = await res.json();
  } catch {
    throw new NetworkError(`mesd answered ${res.status} without a GraphQL body`);
  }
  if (!body || (typeof body !== 'object')) throw new NetworkError('an answer that is not GraphQL');
  return body;
}

// The data of a request expected to succeed; the first error thrown as a GqlError.
export async function query(token, q, variables) {
  const body = await request(token, q, variables);
  if (body.errors?.length) throw new GqlError(body.errors[0]);
  return body.data;
}
