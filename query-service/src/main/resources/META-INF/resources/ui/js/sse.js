// Server-Sent Events over fetch(): EventSource cannot send an Authorization header, and the API key must never be in a
// URL. The body is read as a stream and parsed into frames (id/event/data, comments ignored) as the SSE specification
// says; after a drop the stream is opened again with Last-Event-ID, so no event is lost or repeated.

/** Feeds text to an SSE frame parser; `onEvent({ id, event, data })` for every dispatched frame. */
export class SseParser {
  constructor(onEvent) {
    this.onEvent = onEvent;
    this.buffer = '';
    this.reset();
    this.lastEventId = '';
  }

  reset() {
    this.data = [];
    this.event = '';
    this.id = null;
  }

  /** Parses every complete line of the text (a line may span chunks); a trailing CR waits for a possible LF. */
  push(text) {
    this.buffer += text;
    for (;;) {
      const match = this.buffer.match(/\r\n|\r|\n/);
      if (!match || (match[0] === '\r' && match.index === this.buffer.length - 1)) return;
      const line = this.buffer.slice(0, match.index);
      this.buffer = this.buffer.slice(match.index + match[0].length);
      this.line(line);
    }
  }

  line(line) {
    if (line === '') {
      this.dispatch();
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
    else if (field === 'id' && !value.includes('\0')) this.id = value;
  }

  dispatch() {
    if (this.id !== null) this.lastEventId = this.id;
    if (this.data.length > 0) {
      this.onEvent({ id: this.lastEventId, event: this.event || 'message', data: this.data.join('\n') });
    }
    this.reset();
  }
}

/**
 * A stream of the API that reconnects: `onEvent(frame)` per event, `onState(state, detail)` with 'connecting',
 * 'live' or 'reconnecting'; `onUnauthenticated()` on a 401 (the stream then stops).
 */
export class EventStream {
  constructor({ url, key, onEvent, onState, onUnauthenticated, retryMs = 2000, silenceMs = 45000 }) {
    Object.assign(this, { url, key, onEvent, onState, onUnauthenticated, retryMs, silenceMs });
    this.lastEventId = '';
    this.stopped = false;
    this.controller = null;
  }

  start() {
    this.run();
    return this;
  }

  stop() {
    this.stopped = true;
    if (this.controller) this.controller.abort();
  }

  async run() {
    let state = 'connecting';
    while (!this.stopped) {
      this.onState(state);
      let detail = 'the connection dropped';
      try {
        const status = await this.connectOnce();
        if (status === 401) {
          this.stopped = true;
          this.onUnauthenticated();
          return;
        }
        if (status !== 200) detail = `the server answered HTTP ${status}`;
      } catch (e) {
        detail = e.name === 'AbortError' ? 'no heartbeat from the server' : `the connection failed (${e.message})`;
      }
      if (this.stopped) return;
      state = 'reconnecting';
      this.onState(state, detail);
      await new Promise((resolve) => setTimeout(resolve, this.retryMs));
    }
  }

  /** One connection, read to its end; resolves to its HTTP status. */
  async connectOnce() {
    this.controller = new AbortController();
    const headers = { Authorization: `Bearer ${this.key}`, Accept: 'text/event-stream' };
    if (this.lastEventId) headers['Last-Event-ID'] = this.lastEventId;
    let watchdog = null;
    const quiet = () => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => this.controller.abort(), this.silenceMs);
    };
    quiet();
    try {
      const response = await fetch(this.url, { headers, credentials: 'omit', cache: 'no-store', signal: this.controller.signal });
      if (response.status !== 200 || !response.body) return response.status;
      this.onState('live');
      const parser = new SseParser((frame) => {
        this.lastEventId = frame.id;
        this.onEvent(frame);
      });
      parser.lastEventId = this.lastEventId;
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return 200;
        quiet();
        parser.push(value);
      }
    } finally {
      clearTimeout(watchdog);
    }
  }
}
