package dev.acstoken.testkit;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;

/**
 * The emulator's HTTP/1.1 server: a small, bounded server on the JDK's sockets, so that nothing but
 * the emulator's own answers ever reaches a client.
 *
 * <p>Every resource a client can make it spend is bounded: at most {@link #MAX_CONNECTIONS}
 * connections are served at once (one thread each); up to {@link #MAX_WAITING} more wait, each for
 * at most the request deadline, for one of them to end, and more than that are closed at once.
 * While connections wait, a keep-alive connection that has stayed idle for about a second ({@link
 * #IDLE_GRACE_SWEEPS}) is closed to make room for them (an HTTP client reopens a connection the
 * server closed while idle; the SDKs retry a request that met a closed one). A request line of at
 * most {@link Http1#MAX_REQUEST_LINE} bytes, headers of at most {@link Http1#MAX_HEADER_BYTES}
 * bytes, a body of at most {@link EmulatorHandler#MAX_BODY} bytes, checked before it is read (413
 * after at most the limit); the TLS handshake, the headers and the body of a request must arrive
 * within a deadline (a few seconds) of its first byte, however slowly they trickle, or the
 * connection is closed; an idle keep-alive connection is closed after {@link #IDLE_TIMEOUT}. Every
 * answer it makes itself (bad framing, too large) carries the service's JSON error body.
 *
 * <p>Thread-safe. Binds to 127.0.0.1 only.
 */
final class EmulatorServer implements AutoCloseable {

  /** Connections served at once; more wait (up to {@link #MAX_WAITING}). */
  static final int MAX_CONNECTIONS = 256;

  /**
   * Connections accepted beyond {@link #MAX_CONNECTIONS} that wait for a thread, each for at most
   * the request deadline; more are closed as they are accepted.
   */
  static final int MAX_WAITING = 1024;

  /**
   * While connections wait, how often idle keep-alive connections are looked for: one idle for at
   * least {@link #IDLE_GRACE_SWEEPS} intervals is closed for each waiting connection.
   */
  static final Duration SWEEP_INTERVAL = Duration.ofMillis(250);

  /**
   * How many sweep intervals (1 to 1.25 s) a keep-alive connection must have been idle before it is
   * closed for a waiting one. Long enough that a busy client pool, which reuses its connections in
   * turn (the JDK's takes the longest idle first), seldom sends a request on one just closed; short
   * enough that connections left idle by finished clients soon make room. While connections wait
   * the two cores are busy with the served ones, so the wait costs little throughput.
   */
  static final int IDLE_GRACE_SWEEPS = 4;

  /** How long a keep-alive connection may wait for its next request. */
  static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);

  /**
   * The most body bytes read and thrown away after a 413, so that a client that sent its body
   * without waiting sees the answer rather than a broken pipe; a larger body gets the connection
   * closed.
   */
  static final int MAX_DRAIN = 1024 * 1024;

  /** What the server calls for each request it has read whole. */
  interface Handler {
    /** {@return the answer to a well-framed request} */
    EmulatorHandler.Answer handle(Request request);

    /**
     * Returns the answer to a request the server refuses before it is read whole.
     *
     * @param method the method, if the request line was read
     * @param target the path and query, if the request line was read
     */
    EmulatorHandler.Answer refuse(
        long sequence,
        Instant receivedAt,
        @Nullable String method,
        @Nullable String target,
        ServiceError error);
  }

  /** A request read whole: line, headers (in order, names as sent) and body. */
  static final class Request {
    final long sequence;
    final Instant receivedAt;
    final String method;
    final String target;
    final List<Map.Entry<String, String>> headers;
    final byte[] body;
    final boolean tls;
    final int localPort;

    Request(
        long sequence,
        Instant receivedAt,
        String method,
        String target,
        List<Map.Entry<String, String>> headers,
        byte[] body,
        boolean tls,
        int localPort) {
      this.sequence = sequence;
      this.receivedAt = receivedAt;
      this.method = method;
      this.target = target;
      this.headers = headers;
      this.body = body;
      this.tls = tls;
      this.localPort = localPort;
    }

    /** {@return every value of a header, by case-insensitive name, in the order sent} */
    List<String> headers(String name) {
      List<String> out = new ArrayList<>(1);
      for (Map.Entry<String, String> h : headers) {
        if (h.getKey().equalsIgnoreCase(name)) {
          out.add(h.getValue());
        }
      }
      return out;
    }

    /** {@return the value of a header sent once; null if absent or sent more than once} */
    @Nullable String header(String name) {
      List<String> all = headers(name);
      return all.size() == 1 ? all.get(0) : null;
    }
  }

  private final ServerSocket listener;
  private final @Nullable SSLContext tls;
  private final Handler handler;
  private final Clock wallClock;
  private final Duration requestDeadline;
  private final int maxConnections;
  private final int maxWaiting;
  private final ThreadPoolExecutor workers;
  private final ScheduledExecutorService watchdog;
  private final AtomicLong sequence = new AtomicLong();
  private final Thread acceptor;
  private volatile boolean running = true;

  // the connection table; every field below is guarded by the lock of `open`. Taken once or twice
  // per connection and twice per request, never while reading or writing a socket.
  private final Set<Socket> open = new HashSet<>();
  private int served;
  private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
  private final LinkedHashSet<Connection> idle = new LinkedHashSet<>();
  private long sweeps;
  private boolean sweeping;
  private long refused;
  private long evicted;

  /** A connection accepted beyond the limit, waiting for a thread. */
  private static final class Waiting {
    final Socket raw;
    @Nullable ScheduledFuture<?> expiry;

    Waiting(Socket raw) {
      this.raw = raw;
    }
  }

  /** A connection being served; between requests it is in the idle set. */
  private static final class Connection {
    final Socket raw;
    long idleSince;
    boolean evicted;

    Connection(Socket raw) {
      this.raw = raw;
    }
  }

  private EmulatorServer(
      ServerSocket listener,
      @Nullable SSLContext tls,
      Handler handler,
      Clock wallClock,
      Duration requestDeadline,
      int maxConnections,
      int maxWaiting) {
    this.listener = listener;
    this.tls = tls;
    this.handler = handler;
    this.wallClock = wallClock;
    this.requestDeadline = requestDeadline;
    this.maxConnections = maxConnections;
    this.maxWaiting = maxWaiting;
    int port = listener.getLocalPort();
    AtomicInteger n = new AtomicInteger();
    this.workers =
        new ThreadPoolExecutor(
            0,
            // the count of served connections bounds the busy threads; the slack covers threads
            // that have handed their connection back but not yet returned to the pool when the
            // next connection arrives
            2 * maxConnections,
            10,
            TimeUnit.SECONDS,
            new SynchronousQueue<>(),
            r -> daemon(r, "acs-emulator-" + port + "-" + n.incrementAndGet()));
    this.watchdog =
        Executors.newSingleThreadScheduledExecutor(
            r -> daemon(r, "acs-emulator-" + port + "-deadlines"));
    this.acceptor = daemon(this::acceptLoop, "acs-emulator-" + port + "-accept");
  }

  /**
   * Binds 127.0.0.1 and starts serving.
   *
   * @param port the port, 0 for any free one
   * @param tls the TLS context, or null for plain HTTP
   * @param requestDeadline how long a request may take to arrive, handshake included
   * @param maxConnections connections served at once
   * @param maxWaiting connections that may wait beyond those
   * @throws IOException if the port cannot be bound
   */
  static EmulatorServer start(
      int port,
      @Nullable SSLContext tls,
      Handler handler,
      Clock wallClock,
      Duration requestDeadline,
      int maxConnections,
      int maxWaiting)
      throws IOException {
    if (maxConnections < 1 || maxWaiting < 0) {
      throw new IllegalArgumentException(
          "maxConnections "
              + maxConnections
              + " must be at least 1 and maxWaiting "
              + maxWaiting
              + " at least 0");
    }
    ServerSocket listener = new ServerSocket();
    try {
      // SO_REUSEADDR lets an emulator restarted on its old port bind while the closed one's
      // connections linger in TIME_WAIT; on Linux it never lets two listeners share a port
      listener.setReuseAddress(true);
      listener.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 200);
    } catch (IOException e) {
      listener.close();
      throw e;
    }
    EmulatorServer server =
        new EmulatorServer(
            listener, tls, handler, wallClock, requestDeadline, maxConnections, maxWaiting);
    server.acceptor.start();
    return server;
  }

  /** {@return the port the server listens on} */
  int port() {
    return listener.getLocalPort();
  }

  /** {@return whether the server still accepts connections} */
  boolean isRunning() {
    return running;
  }

  /** {@return connections served at once, waiting, refused and closed while idle so far} */
  Counts counts() {
    synchronized (open) {
      return new Counts(served, waiting.size(), refused, evicted);
    }
  }

  /** What {@link #counts()} returns. */
  record Counts(int served, int waiting, long refused, long evictedIdle) {}

  /** Stops accepting, closes every connection and stops the threads; idempotent. */
  @Override
  public void close() {
    running = false;
    closeQuietly(listener);
    synchronized (open) {
      for (Socket s : open) {
        closeQuietly(s);
      }
      open.clear();
      waiting.clear();
      idle.clear();
    }
    workers.shutdownNow();
    watchdog.shutdownNow();
    try {
      acceptor.join(TimeUnit.SECONDS.toMillis(5));
      workers.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void acceptLoop() {
    while (running) {
      Socket raw;
      try {
        raw = listener.accept();
      } catch (IOException e) {
        if (!running) {
          return;
        }
        // e.g. out of file descriptors: wait a little rather than spin on the error
        java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        continue;
      }
      admit(raw);
    }
  }

  /**
   * Serves a new connection on a thread of its own if fewer than the limit are served, else lets it
   * wait if the waiting room has space, else closes it.
   */
  private void admit(Socket raw) {
    boolean serveNow = false;
    boolean waits = false;
    synchronized (open) {
      if (running && served < maxConnections) {
        served++;
        open.add(raw);
        serveNow = true;
      } else if (running && waiting.size() < maxWaiting) {
        waits = enqueue(raw);
      } else if (running) {
        refused++;
      }
    }
    if (serveNow) {
      dispatch(raw);
    } else if (!waits) {
      // stopping, or over the limit with the waiting room full: closed at once, so that memory
      // and file descriptors stay bounded
      closeQuietly(raw);
    }
  }

  /** Puts a connection in the waiting room; the caller holds the lock of {@code open}. */
  private boolean enqueue(Socket raw) {
    Waiting w = new Waiting(raw);
    try {
      // a waiting connection holds no thread but a file descriptor: it waits no longer than a
      // request may take to arrive
      w.expiry =
          watchdog.schedule(() -> expire(w), requestDeadline.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException stopping) {
      return false;
    }
    waiting.addLast(w);
    open.add(raw);
    if (!sweeping) {
      sweeping = true;
      // a connection idle since before now may be closed at the first sweep
      sweeps++;
      scheduleSweep();
    }
    return true;
  }

  private void dispatch(Socket raw) {
    try {
      workers.execute(() -> serveThenNext(raw));
    } catch (RejectedExecutionException stopping) {
      Socket next = finished(raw);
      if (next != null) {
        dispatch(next);
      }
    }
  }

  /** Serves a connection, then, on the same thread, each waiting one it is handed. */
  private void serveThenNext(Socket first) {
    Socket raw = first;
    while (raw != null) {
      try {
        serve(raw);
      } finally {
        raw = finished(raw);
      }
    }
  }

  /**
   * Closes a connection that has ended and hands its place to the longest waiting one, if any.
   *
   * @return the waiting connection to serve next, or null (the place is free)
   */
  private @Nullable Socket finished(Socket raw) {
    closeQuietly(raw);
    synchronized (open) {
      if (!open.remove(raw)) {
        // close() has run: nothing is counted any more
        return null;
      }
      Waiting next = running ? waiting.pollFirst() : null;
      if (next == null) {
        served--;
        return null;
      }
      if (next.expiry != null) {
        next.expiry.cancel(false);
      }
      return next.raw;
    }
  }

  /** Closes a connection that waited longer than the request deadline. */
  private void expire(Waiting w) {
    synchronized (open) {
      if (!waiting.remove(w)) {
        return;
      }
      open.remove(w.raw);
    }
    closeQuietly(w.raw);
  }

  private void scheduleSweep() {
    try {
      watchdog.schedule(this::sweep, SWEEP_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException stopping) {
      // closing: no more sweeps
    }
  }

  /**
   * While connections wait, closes one idle keep-alive connection per waiting one: the longest idle
   * first, and only those idle for the {@link #IDLE_GRACE_SWEEPS grace}, so that a client about to
   * send its next request on a connection it has used seldom loses it.
   */
  private void sweep() {
    List<Connection> victims = new ArrayList<>();
    synchronized (open) {
      if (waiting.isEmpty() || !running) {
        sweeping = false;
        return;
      }
      sweeps++;
      int wanted = waiting.size();
      for (Iterator<Connection> it = idle.iterator(); it.hasNext() && victims.size() < wanted; ) {
        Connection c = it.next();
        if (c.idleSince > sweeps - 1 - IDLE_GRACE_SWEEPS) {
          // the set is in the order connections went idle: every later one is younger still
          break;
        }
        it.remove();
        c.evicted = true;
        victims.add(c);
      }
      evicted += victims.size();
      scheduleSweep();
    }
    // the thread reading each connection sees it closed and takes a waiting one
    for (Connection c : victims) {
      closeQuietly(c.raw);
    }
  }

  /** Marks a connection idle, between two requests. */
  private void idle(Connection c) {
    synchronized (open) {
      c.idleSince = sweeps;
      idle.add(c);
    }
  }

  /** Marks a connection busy; returns false if it was closed while idle. */
  private boolean busy(Connection c) {
    synchronized (open) {
      idle.remove(c);
      return !c.evicted;
    }
  }

  /** Serves one connection: requests one after another while the client keeps it alive. */
  private void serve(Socket raw) {
    try {
      raw.setTcpNoDelay(true);
      raw.setSoTimeout((int) IDLE_TIMEOUT.toMillis());
      Socket socket = raw;
      if (tls != null) {
        SSLSocket ssl =
            (SSLSocket)
                tls.getSocketFactory()
                    .createSocket(raw, raw.getInetAddress().getHostAddress(), raw.getPort(), true);
        ssl.setUseClientMode(false);
        socket = ssl;
      }
      InputStream in = new BufferedInputStream(socket.getInputStream(), 8192);
      OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 8192);
      boolean first = true;
      boolean keepAlive = true;
      Connection connection = new Connection(raw);
      while (keepAlive && running) {
        // the first request's deadline covers the TLS handshake; later ones start at their
        // first byte, after an idle wait bounded by the socket timeout
        ScheduledFuture<?> deadline = first ? arm(raw) : null;
        if (!first) {
          idle(connection);
        }
        int b;
        try {
          b = in.read();
        } catch (IOException idleOrClosed) {
          b = -1;
        }
        if (!first && !busy(connection)) {
          // closed to make room for a waiting connection, perhaps as a request began to arrive
          // (the client sees the connection closed, as after an idle timeout, and retries)
          b = -1;
        }
        if (b < 0) {
          return;
        }
        if (deadline == null) {
          deadline = arm(raw);
        }
        first = false;
        try {
          keepAlive = exchange(b, in, out, raw, deadline);
        } finally {
          deadline.cancel(false);
        }
      }
    } catch (IOException | RuntimeException e) {
      // the client went away, reset, or was cut off at its deadline: nothing to answer
    }
  }

  private ScheduledFuture<?> arm(Socket raw) {
    try {
      return watchdog.schedule(
          () -> closeQuietly(raw), requestDeadline.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException stopping) {
      closeQuietly(raw);
      throw stopping;
    }
  }

  /**
   * Reads one request (its first byte already read), answers it, and says whether to go on.
   *
   * @param deadline cuts the connection if the request does not arrive in time; cancelled once it
   *     has, so that an answer that takes its time (an injected latency) is not cut
   */
  private boolean exchange(
      int firstByte, InputStream in, OutputStream out, Socket raw, ScheduledFuture<?> deadline)
      throws IOException {
    long seq = sequence.incrementAndGet();
    Instant receivedAt = wallClock.instant();
    String method = null;
    String target = null;
    Request request;
    boolean head = false;
    long[] drain = {0};
    try {
      String line = Http1.readLine(in, firstByte, Http1.MAX_REQUEST_LINE, true);
      // RFC 9112 2.2: a server should ignore at least one empty line before the request line
      for (int i = 0; line.isEmpty() && i < 4; i++) {
        line = Http1.readLine(in, -1, Http1.MAX_REQUEST_LINE, true);
      }
      String[] parts = line.split(" ", -1);
      if (parts.length != 3 || !Http1.isToken(parts[0])) {
        throw Http1.badRequest("The request line is not valid.");
      }
      method = parts[0];
      head = method.equals("HEAD");
      if (!parts[2].equals("HTTP/1.1") && !parts[2].equals("HTTP/1.0")) {
        throw new ServiceError(
            505,
            "HttpVersionNotSupported",
            "The HTTP version is not supported; use HTTP/1.1.",
            null,
            null);
      }
      if (!parts[1].startsWith("/") || !Http1.isVisibleAscii(parts[1])) {
        throw Http1.badRequest("The request URI is not valid.");
      }
      target = parts[1];
      List<Map.Entry<String, String>> headers = Http1.readHeaders(in);
      boolean http10 = parts[2].equals("HTTP/1.0");
      byte[] body = Http1.readBody(in, out, headers, drain);
      deadline.cancel(false);
      request =
          new Request(
              seq, receivedAt, method, target, headers, body, tls != null, listener.getLocalPort());
      String connection = Http1.joined(headers, "Connection").toLowerCase(Locale.ROOT);
      boolean keepAlive =
          http10 ? connection.contains("keep-alive") : !connection.contains("close");
      EmulatorHandler.Answer answer = handler.handle(request);
      return write(answer, out, raw, head, keepAlive);
    } catch (ServiceError e) {
      // bad framing or limits: answer, then close, since what follows on the wire is unknown
      if (drain[0] > 0) {
        // bounded in time by the request's deadline, in memory by the skip buffer
        in.skipNBytes(drain[0]);
      }
      write(handler.refuse(seq, receivedAt, method, target, e), out, raw, head, false);
      linger(raw);
      return false;
    }
  }

  /**
   * Half-closes a connection after an answer to a request that was not read whole, and throws away
   * what the client still sends (at most {@link #MAX_DRAIN} bytes, within the request's deadline):
   * closing with unread bytes would send a TCP reset, which can destroy the answer before the
   * client reads it.
   */
  private static void linger(Socket raw) {
    try {
      raw.shutdownOutput();
      raw.setSoTimeout(500);
      InputStream in = raw.getInputStream();
      byte[] buffer = new byte[8192];
      long total = 0;
      for (int n = in.read(buffer); n >= 0 && total < MAX_DRAIN; n = in.read(buffer)) {
        total += n;
      }
    } catch (IOException | RuntimeException done) {
      // timed out, reset or closed: the answer is out either way
    }
  }

  /** Writes an answer; returns whether the connection stays open. */
  private static boolean write(
      EmulatorHandler.Answer a, OutputStream out, Socket raw, boolean head, boolean keepAlive)
      throws IOException {
    if (!a.delay.isZero()) {
      try {
        // an injected latency fault: this connection's thread waits, the others serve
        TimeUnit.MILLISECONDS.sleep(a.delay.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    if (a.reset) {
      // SO_LINGER 0: the close sends a TCP reset, as a crashed front end would
      raw.setSoLinger(true, 0);
      raw.close();
      return false;
    }
    boolean bodyAllowed = a.status != 204 && a.status != 304;
    out.write(Http1.head(a, bodyAllowed, keepAlive));
    if (bodyAllowed && !head) {
      out.write(a.body);
    }
    out.flush();
    return keepAlive;
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  private static void closeQuietly(java.io.Closeable c) {
    try {
      c.close();
    } catch (IOException | RuntimeException ignored) {
      // closing: nothing left to do
    }
  }
}
