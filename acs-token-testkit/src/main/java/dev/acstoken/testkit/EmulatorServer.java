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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
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
 * connections (one thread each, more are closed at once); a request line of at most {@link
 * Http1#MAX_REQUEST_LINE} bytes, headers of at most {@link Http1#MAX_HEADER_BYTES} bytes, a body of
 * at most {@link EmulatorHandler#MAX_BODY} bytes, checked before it is read (413 after at most the
 * limit); the TLS handshake, the headers and the body of a request must arrive within a deadline (a
 * few seconds) of its first byte, however slowly they trickle, or the connection is closed; an idle
 * keep-alive connection is closed after {@link #IDLE_TIMEOUT}. Every answer it makes itself (bad
 * framing, too large) carries the service's JSON error body.
 *
 * <p>Thread-safe. Binds to 127.0.0.1 only.
 */
final class EmulatorServer implements AutoCloseable {

  /** Connections served at once; more are closed as they are accepted. */
  static final int MAX_CONNECTIONS = 256;

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
  private final ThreadPoolExecutor workers;
  private final ScheduledExecutorService watchdog;
  private final Semaphore slots = new Semaphore(MAX_CONNECTIONS);
  private final AtomicLong sequence = new AtomicLong();
  private final List<Socket> open = new ArrayList<>();
  private final Thread acceptor;
  private volatile boolean running = true;

  private EmulatorServer(
      ServerSocket listener,
      @Nullable SSLContext tls,
      Handler handler,
      Clock wallClock,
      Duration requestDeadline) {
    this.listener = listener;
    this.tls = tls;
    this.handler = handler;
    this.wallClock = wallClock;
    this.requestDeadline = requestDeadline;
    int port = listener.getLocalPort();
    AtomicInteger n = new AtomicInteger();
    this.workers =
        new ThreadPoolExecutor(
            0,
            MAX_CONNECTIONS,
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
   * @throws IOException if the port cannot be bound
   */
  static EmulatorServer start(
      int port,
      @Nullable SSLContext tls,
      Handler handler,
      Clock wallClock,
      Duration requestDeadline)
      throws IOException {
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
    EmulatorServer server = new EmulatorServer(listener, tls, handler, wallClock, requestDeadline);
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
      // a connection over the limit is closed at once rather than queued: queued connections
      // would hold the clients of normal calls behind whoever holds the slots
      if (!slots.tryAcquire()) {
        closeQuietly(raw);
        continue;
      }
      synchronized (open) {
        if (!running) {
          slots.release();
          closeQuietly(raw);
          return;
        }
        open.add(raw);
      }
      try {
        workers.execute(() -> serve(raw));
      } catch (RejectedExecutionException e) {
        forget(raw);
      }
    }
  }

  private void forget(Socket raw) {
    closeQuietly(raw);
    boolean removed;
    synchronized (open) {
      removed = open.remove(raw);
    }
    if (removed) {
      slots.release();
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
      while (keepAlive && running) {
        // the first request's deadline covers the TLS handshake; later ones start at their
        // first byte, after an idle wait bounded by the socket timeout
        ScheduledFuture<?> deadline = first ? arm(raw) : null;
        int b;
        try {
          b = in.read();
        } catch (IOException idleOrClosed) {
          return;
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
    } finally {
      forget(raw);
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
