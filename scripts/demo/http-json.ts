/** A non-2xx answer, with what the service said. */
export class HttpStatusError extends Error {
  constructor(
    readonly url: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`${url} answered ${status}: ${body.slice(0, 300)}`);
    this.name = new.target.name;
  }
}

/** Longest wait for one HTTP answer, in ms. */
const REQUEST_TIMEOUT_MS = 10_000;

/** GETs `url` and parses the JSON answer; throws on a non-2xx status. */
export async function getJson<T>(url: string): Promise<T> {
  return request<T>(url, { method: 'GET' });
}

/** POSTs `body` as JSON and parses the JSON answer. */
export async function postJson<T>(url: string, body: unknown): Promise<T> {
  return request<T>(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

async function request<T>(url: string, init: RequestInit): Promise<T> {
  const response = await fetch(url, {
    ...init,
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const text = await response.text();
  if (!response.ok) {
    throw new HttpStatusError(url, response.status, text);
  }
  return JSON.parse(text) as T;
}
