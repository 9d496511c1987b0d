/** A stand-in for the browser's EventSource: tests push server events with emit(). */
export class FakeEventSource {
  static instances: FakeEventSource[] = [];
  readonly url: string;
  readonly withCredentials: boolean;
  closed = false;
  /** 0 connecting, 1 open, 2 given up by the browser (see fail()). */
  readyState = 0;
  private lastEventId = '';
  private listeners = new Map<string, ((event: MessageEvent<string>) => void)[]>();

  constructor(url: string | URL, init?: EventSourceInit) {
    this.url = String(url);
    this.withCredentials = init?.withCredentials ?? false;
    FakeEventSource.instances.push(this);
  }

  addEventListener(type: string, listener: (event: MessageEvent<string>) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  close() {
    this.closed = true;
  }

  /** The browser gives up on the stream, as after an answer that is not a stream (a 502, a 503). */
  fail() {
    this.readyState = 2;
    this.emit('error', {});
  }

  /** Dispatches a server event; `id` is the event id the browser would hold from then on (Last-Event-ID). */
  emit(type: string, data: unknown, id?: string) {
    if (id !== undefined) this.lastEventId = id;
    if (type === 'open') this.readyState = 1;
    const event = new MessageEvent<string>(type, { data: JSON.stringify(data), lastEventId: this.lastEventId });
    for (const listener of this.listeners.get(type) ?? []) listener(event);
  }

  /** The one open stream (fails the test when there is none or several). */
  static current(): FakeEventSource {
    const open = FakeEventSource.instances.filter((s) => !s.closed && s.readyState !== 2);
    if (open.length !== 1) throw new Error(`expected one open event stream, found ${open.length}`);
    return open[0]!;
  }
}
