import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/**
 * How many answers may wait on one connection behind the one being written.
 *
 * HTTP/1.1 lets a client send requests ahead without waiting for the answers (pipelining).
 * Node.js parses every request of a chunk it reads at once (64 KiB: some 1,500 small GETs)
 * and hands each to the app, and the answers wait in memory, in order, until the client
 * reads them. A thousand connections that pipelined and never read filled the 1 GB heap
 * within seconds, and the process died. Browsers do not pipeline, and proxies that do send
 * a few requests ahead, not hundreds.
 */
export const MAX_QUEUED_ANSWERS = 8;

/**
 * Node.js's HTTP parser of a connection (what it calls with each request whose head it read),
 * and its flag for a connection it stopped reading from (`_paused`): Node.js resumes reading
 * after each request it parsed unless the flag is set, and clears it once the answers drain.
 */
interface ParsingSocket extends Socket {
  parser?: { onIncoming?: (request: IncomingMessage, keepAlive: boolean) => number };
  _paused?: boolean;
}

/** A connection's answers: how many wait, and the last one given to the app while it waits. */
interface Answers {
  waiting: number;
  last: ServerResponse | undefined;
  /** Past the limit: no request is taken any more; the connection ends after `last`. */
  closing: boolean;
}

/**
 * Holds each connection of `server` to `MAX_QUEUED_ANSWERS` answers waiting. A request past
 * them is not taken, nor any after it on that connection: the answers already taken are
 * written, then the connection is closed, as HTTP/1.1 lets a server do (RFC 9112, 9.3.2: a
 * client sends the requests left unanswered again on a new connection). A request whose answer
 * can be written at once (every request of a client that waits for its answers) costs a lookup.
 *
 * The decision is taken where Node.js's parser hands over a request (`parser.onIncoming`, an
 * internal of `node:http` that has not changed in years; the unit test fails if it does), so
 * a request not taken is dropped before Node.js makes its answer or the app sees it.
 */
export function boundPipelining(server: Server, { lingerMs = LINGER_MS } = {}): void {
  const connections = new WeakMap<Socket, Answers>();
  // Counts the answers that wait: Node.js gives an answer its socket at once, unless an
  // earlier one is still being written; then it gives it when its turn comes.
  server.prependListener('request', (request: IncomingMessage, response: ServerResponse) => {
    if (response.socket !== null) return;
    const answers = connections.get(request.socket);
    if (!answers) return;
    // Answers wait in order: when the limit is reached, the last one taken is one that waits.
    answers.last = response;
    answers.waiting++;
    response.once('socket', () => {
      answers.waiting--;
      // Not kept past its turn (nor its request through it) for as long as the connection lives.
      if (answers.last === response) answers.last = undefined;
    });
  });
  server.on('connection', (socket: ParsingSocket) => {
    const parser = socket.parser;
    const onIncoming = parser?.onIncoming;
    if (!parser || !onIncoming) return;
    const answers: Answers = { waiting: 0, last: undefined, closing: false };
    connections.set(socket, answers);
    parser.onIncoming = (request, keepAlive) => {
      if (answers.closing) return 0;
      // With that many waiting, an answer is being written: this one would wait too.
      if (answers.waiting >= MAX_QUEUED_ANSWERS) {
        answers.closing = true;
        // Nothing more is read from it until those are written (what is left of this chunk
        // is parsed, and dropped): a client that sends on without reading costs no parsing.
        // Node.js pauses a connection it must not read from the same way, so it does not
        // resume this one after the request.
        socket._paused = true;
        socket.pause();
        endAfter(socket, answers.last, lingerMs);
        return 0;
      }
      return onIncoming(request, keepAlive);
    };
  });
}

/**
 * How long a connection closed past the limit is still read from, and what it sends dropped.
 * Closing a socket with unread input resets the connection, and the client may then lose the
 * answers it has not read yet; reading on for ever would let a client that sends and never
 * reads hold the connection. Apache's "lingering close" does the same.
 */
const LINGER_MS = 5_000;

/**
 * Once `last` (and so every answer before it) has been handed to `socket`: ends it, reads and
 * drops what the client still sends (raw bytes, not parsed), and closes it after `lingerMs`
 * unless the client has closed its side first.
 */
function endAfter(socket: ParsingSocket, last: ServerResponse | undefined, lingerMs: number) {
  const end = () => {
    socket.end();
    socket.removeAllListeners('data'); // Node.js's parser: no request is taken any more
    socket.on('data', () => {});
    socket._paused = false;
    socket.resume();
    setTimeout(() => socket.destroy(), lingerMs).unref();
  };
  if (!last || last.writableFinished) end();
  else last.once('finish', end);
}
