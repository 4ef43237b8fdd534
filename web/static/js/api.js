// The HTTP API beside the protocol (web/PROTOCOL.md): JSON in and out, errors as {code, message}.

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message || code);
    this.status = status;
    this.code = code;
  }
}

export async function api(path, { method = 'GET', body } = {}) {
  let res;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      cache: 'no-store',
      // A request that changes something is JSON, even an empty one: the server refuses others
      // (json_required), so that no other site's page can make them.
      headers: method === 'GET' ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? (method === 'GET' ? undefined : '{}') : JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError(0, 'network', String(e));
  }
  let data = null;
  const text = await res.text();
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!res.ok) {
    // The server answers {"error": CODE, "message": SENTENCE}.
    const code = typeof data?.error === 'string' ? data.error : data?.error?.code ?? data?.code;
    const message = data?.message ?? data?.error?.message ?? '';
    throw new ApiError(res.status, code || `http_${res.status}`, message);
  }
  return data;
}

// The same, but null instead of an error (for optional parts of a page: footer, recordings).
export async function apiOrNull(path) {
  try {
    return await api(path);
  } catch {
    return null;
  }
}

// Uploads a PNG or JPEG (staff only) for a wish's proof (wish: its id) or a sale item's photo;
// answers {file, url}. The server checks the bytes and the size (at most 5 MiB).
export async function uploadPhoto(file, { wish } = {}) {
  const path = wish ? `/api/photos?wish=${encodeURIComponent(wish)}` : '/api/photos';
  let res;
  try {
    res = await fetch(path, { method: 'POST', credentials: 'same-origin', body: file,
      headers: { 'Content-Type': file.type || 'application/octet-stream' } });
  } catch (e) {
    throw new ApiError(0, 'network', String(e));
  }
  const data = await res.json().catch(() => null);
  if (!res.ok) {
    throw new ApiError(res.status, data?.error || `http_${res.status}`, data?.message ?? '');
  }
  return data;
}

// Sends a file as the body of a POST, telling onProgress(sent, total) as the bytes go (fetch
// cannot report an upload's progress; XMLHttpRequest can). Answers the JSON reply.
export function uploadWithProgress(path, file, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.withCredentials = true;
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onerror = () => reject(new ApiError(0, 'network', 'the upload failed'));
    xhr.onload = () => {
      let data = null;
      try {
        data = JSON.parse(xhr.responseText);
      } catch {
        data = null;
      }
      if (xhr.status >= 200 && xhr.status < 300) return resolve(data);
      reject(new ApiError(xhr.status, data?.error || `http_${xhr.status}`, data?.message ?? ''));
    };
    xhr.send(file);
  });
}
