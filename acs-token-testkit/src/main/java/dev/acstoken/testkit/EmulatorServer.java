package dev.acstoken.testkit;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
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
 * #MAX_REQUEST_LINE} bytes, headers of at most {@link #MAX_HEADER_BYTES} bytes, a body of at most
 * {@link EmulatorHandler#MAX_BODY} bytes, checked before it is read (413 after at most the limit);
 * the TLS handshake, the headers and the body of a request must arrive within a deadline (a few
 * seconds) of its first byte, however slowly they trickle, or the connection is closed; an idle
 * keep-alive connection is closed after {@link #IDLE_TIMEOUT}. Every answer it makes itself (bad
 * framing, too large, too slow) carries the service's JSON error body.
 *
 * <p>Thread-safe. Binds to 127.0.0.1 only.
 */
final class EmulatorServer implements AutoCloseable {

  /** Connections served at once; more are closed as they are accepted. */
  static final int MAX_CONNECTIONS = 256;

  /** The longest request line (method, path and query, version), in bytes. */
  static final int MAX_REQUEST_LINE = 8 * 1024;

  /** The most header bytes a request may carry. */
  static final int MAX_HEADER_BYTES = 32 * 1024;

  /** The most header fields a request may carry. */
  static final int MAX_HEADERS = 100;

  /** How long a keep-alive connection may wait for its next request. */
  static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);

  /**
   * The most body bytes read and thrown away after a 413, so that a client that sent its body
   * without waiting sees the answer rather than a broken pipe; a larger body gets the connection
   * closed.
   */
  static final int MAX_DRAIN = 1024 * 1024;

  private static final byte[] CONTINUE =
      "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

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
      listener.setReuseAddress(false);
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
      String line = readLine(in, firstByte, MAX_REQUEST_LINE, true);
      // RFC 9112 2.2: a server should ignore at least one empty line before the request line
      for (int i = 0; line.isEmpty() && i < 4; i++) {
        line = readLine(in, -1, MAX_REQUEST_LINE, true);
      }
      String[] parts = line.split(" ", -1);
      if (parts.length != 3 || !isToken(parts[0])) {
        throw badRequest("The request line is not valid.");
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
      if (!parts[1].startsWith("/") || !isVisibleAscii(parts[1])) {
        throw badRequest("The request URI is not valid.");
      }
      target = parts[1];
      List<Map.Entry<String, String>> headers = readHeaders(in);
      boolean http10 = parts[2].equals("HTTP/1.0");
      byte[] body = readBody(in, out, headers, drain);
      deadline.cancel(false);
      request =
          new Request(
              seq, receivedAt, method, target, headers, body, tls != null, listener.getLocalPort());
      String connection = joined(headers, "Connection").toLowerCase(Locale.ROOT);
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

  private static ServiceError badRequest(String message) {
    return new ServiceError(400, "BadRequest", message, null, null);
  }

  private List<Map.Entry<String, String>> readHeaders(InputStream in) throws IOException {
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    int bytes = 0;
    while (true) {
      String line = readLine(in, -1, MAX_HEADER_BYTES - bytes, false);
      bytes += line.length() + 2;
      if (line.isEmpty()) {
        return headers;
      }
      if (headers.size() >= MAX_HEADERS) {
        throw tooManyHeaders();
      }
      int colon = line.indexOf(':');
      if (colon <= 0 || !isToken(line.substring(0, colon))) {
        // also obsolete line folding (a line starting with white space): RFC 9112 5.2
        throw badRequest("A request header is not valid.");
      }
      headers.add(Map.entry(line.substring(0, colon), line.substring(colon + 1).trim()));
    }
  }

  private static ServiceError tooManyHeaders() {
    return new ServiceError(
        431,
        "RequestHeaderFieldsTooLarge",
        "The request headers are larger than "
            + MAX_HEADER_BYTES
            + " bytes or more than "
            + MAX_HEADERS
            + " fields.",
        null,
        null);
  }

  private static ServiceError tooLarge() {
    return new ServiceError(
        413,
        "RequestEntityTooLarge",
        "The request body is larger than " + EmulatorHandler.MAX_BODY + " bytes.",
        null,
        null);
  }

  /**
   * Reads a body whole, after checking its announced size.
   *
   * @param drain set to how many bytes to throw away before answering a 413
   */
  private static byte[] readBody(
      InputStream in, OutputStream out, List<Map.Entry<String, String>> headers, long[] drain)
      throws IOException {
    String transferEncoding = joined(headers, "Transfer-Encoding");
    List<String> lengths = new ArrayList<>();
    for (Map.Entry<String, String> h : headers) {
      if (h.getKey().equalsIgnoreCase("Content-Length")) {
        lengths.add(h.getValue());
      }
    }
    boolean chunked = false;
    long length = 0;
    if (!transferEncoding.isEmpty()) {
      // RFC 9112 6.1: with both, a request is a smuggling attempt
      if (!lengths.isEmpty() || !transferEncoding.equalsIgnoreCase("chunked")) {
        throw badRequest("The request's Transfer-Encoding is not valid.");
      }
      chunked = true;
    } else if (!lengths.isEmpty()) {
      String first = lengths.get(0);
      for (String l : lengths) {
        if (!l.equals(first)) {
          throw badRequest("The request's Content-Length is not valid.");
        }
      }
      if (first.isEmpty() || first.length() > 18 || !first.chars().allMatch(Character::isDigit)) {
        throw badRequest("The request's Content-Length is not valid.");
      }
      length = Long.parseLong(first);
      if (length > EmulatorHandler.MAX_BODY) {
        boolean expects = joined(headers, "Expect").equalsIgnoreCase("100-continue");
        drain[0] = !expects && length <= MAX_DRAIN ? length : 0;
        throw tooLarge();
      }
    }
    if ((chunked || length > 0) && joined(headers, "Expect").equalsIgnoreCase("100-continue")) {
      out.write(CONTINUE);
      out.flush();
    }
    if (chunked) {
      return readChunked(in);
    }
    byte[] body = in.readNBytes((int) length);
    if (body.length < length) {
      throw new java.io.EOFException("the body ended early");
    }
    return body;
  }

  private static byte[] readChunked(InputStream in) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      String line = readLine(in, -1, 1024, false);
      int semi = line.indexOf(';');
      String hex = (semi < 0 ? line : line.substring(0, semi)).trim();
      if (hex.isEmpty() || hex.length() > 15) {
        throw badRequest("A chunk size of the request body is not valid.");
      }
      long size;
      try {
        size = Long.parseLong(hex, 16);
      } catch (NumberFormatException e) {
        throw badRequest("A chunk size of the request body is not valid.");
      }
      if (size < 0 || body.size() + size > EmulatorHandler.MAX_BODY) {
        throw tooLarge();
      }
      if (size == 0) {
        // trailers, bounded as headers are, then the end
        int bytes = 0;
        while (true) {
          String trailer = readLine(in, -1, MAX_HEADER_BYTES - bytes, false);
          bytes += trailer.length() + 2;
          if (trailer.isEmpty()) {
            return body.toByteArray();
          }
        }
      }
      byte[] chunk = in.readNBytes((int) size);
      if (chunk.length < size) {
        throw new java.io.EOFException("the body ended early");
      }
      body.write(chunk);
      if (!readLine(in, -1, 2, false).isEmpty()) {
        throw badRequest("A chunk of the request body is not valid.");
      }
    }
  }

  /**
   * Reads a line ending in CRLF (or a bare LF) as ISO-8859-1, without the line end.
   *
   * @param first a byte already read, or -1
   * @param limit the most bytes the line may hold
   * @param requestLine whether it is the request line (414 when too long) or a header (431)
   */
  private static String readLine(InputStream in, int first, int limit, boolean requestLine)
      throws IOException {
    StringBuilder b = new StringBuilder(64);
    int c = first >= 0 ? first : in.read();
    while (true) {
      if (c < 0) {
        throw new java.io.EOFException("the request ended early");
      }
      if (c == '\n') {
        int n = b.length();
        if (n > 0 && b.charAt(n - 1) == '\r') {
          b.setLength(n - 1);
        }
        return b.toString();
      }
      if (b.length() >= limit) {
        if (requestLine) {
          throw new ServiceError(
              414,
              "RequestUriTooLong",
              "The request line is longer than " + MAX_REQUEST_LINE + " bytes.",
              null,
              null);
        }
        throw tooManyHeaders();
      }
      if (c == 0) {
        throw badRequest("The request holds a NUL byte.");
      }
      b.append((char) c);
      c = in.read();
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
    StringBuilder h =
        new StringBuilder(256)
            .append("HTTP/1.1 ")
            .append(a.status)
            .append(' ')
            .append(reason(a.status))
            .append("\r\n");
    if (a.contentType != null) {
      h.append("Content-Type: ").append(a.contentType).append("\r\n");
    }
    for (Map.Entry<String, String> e : a.headers.entrySet()) {
      h.append(e.getKey()).append(": ").append(e.getValue()).append("\r\n");
    }
    boolean bodyAllowed = a.status != 204 && a.status != 304;
    if (bodyAllowed) {
      h.append("Content-Length: ").append(a.body.length).append("\r\n");
    }
    if (!keepAlive) {
      h.append("Connection: close\r\n");
    }
    h.append("\r\n");
    out.write(h.toString().getBytes(StandardCharsets.ISO_8859_1));
    if (bodyAllowed && !head) {
      out.write(a.body);
    }
    out.flush();
    return keepAlive;
  }

  private static String joined(List<Map.Entry<String, String>> headers, String name) {
    StringBuilder b = new StringBuilder();
    for (Map.Entry<String, String> h : headers) {
      if (h.getKey().equalsIgnoreCase(name)) {
        if (b.length() > 0) {
          b.append(", ");
        }
        b.append(h.getValue());
      }
    }
    return b.toString();
  }

  private static boolean isToken(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static boolean isVisibleAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c <= 0x20 || c >= 0x7f) {
        return false;
      }
    }
    return true;
  }

  private static String reason(int status) {
    switch (status) {
      case 200:
        return "OK";
      case 201:
        return "Created";
      case 204:
        return "No Content";
      case 400:
        return "Bad Request";
      case 401:
        return "Unauthorized";
      case 403:
        return "Forbidden";
      case 404:
        return "Not Found";
      case 405:
        return "Method Not Allowed";
      case 408:
        return "Request Timeout";
      case 409:
        return "Conflict";
      case 413:
        return "Payload Too Large";
      case 414:
        return "URI Too Long";
      case 429:
        return "Too Many Requests";
      case 431:
        return "Request Header Fields Too Large";
      case 500:
        return "Internal Server Error";
      case 503:
        return "Service Unavailable";
      case 505:
        return "HTTP Version Not Supported";
      default:
        return "Status";
    }
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
