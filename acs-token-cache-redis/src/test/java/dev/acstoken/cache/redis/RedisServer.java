package dev.acstoken.cache.redis;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} process on a free port of 127.0.0.1, without persistence, that tests
 * start, stop and start again (on the same port, empty, as after a restart).
 */
final class RedisServer implements AutoCloseable {

  private final Path executable;
  private final int port;
  private final List<String> extraArgs;
  // a sentinel's config file (redis-server <file> --sentinel), or null for a plain server
  private final String sentinelConfig;
  private Process process;

  private RedisServer(Path executable, int port, List<String> extraArgs) {
    this(executable, port, extraArgs, null);
  }

  private RedisServer(Path executable, int port, List<String> extraArgs, String sentinelConfig) {
    this.executable = executable;
    this.port = port;
    this.extraArgs = extraArgs;
    this.sentinelConfig = sentinelConfig;
  }

  /** Starts a server on a free port. */
  static RedisServer start() {
    return start(List.of());
  }

  /** Starts a server on a free port with further configuration, e.g. {@code --requirepass}. */
  static RedisServer start(List<String> extraArgs) {
    return start(freePort(), extraArgs);
  }

  /** Starts a server on the given port with further configuration. */
  static RedisServer start(int port, List<String> extraArgs) {
    RedisServer server = new RedisServer(findExecutable(), port, List.copyOf(extraArgs));
    server.startAgain();
    return server;
  }

  /**
   * Starts {@code redis-server <config file> --sentinel} (what {@code redis-sentinel} does) on a
   * free port; the config file must not name a port.
   */
  static RedisServer startSentinel(Path configFile) {
    RedisServer server =
        new RedisServer(findExecutable(), freePort(), List.of(), configFile.toString());
    server.startAgain();
    return server;
  }

  int port() {
    return port;
  }

  String uri() {
    return "redis://127.0.0.1:" + port;
  }

  boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** Starts the process (again) on the same port and waits until it answers PING. */
  void startAgain() {
    if (isRunning()) {
      return;
    }
    List<String> command = new java.util.ArrayList<>();
    command.add(executable.toString());
    if (sentinelConfig != null) {
      command.addAll(List.of(sentinelConfig, "--sentinel"));
    }
    command.addAll(
        List.of(
            "--port",
            Integer.toString(port),
            "--bind",
            "127.0.0.1",
            "--daemonize",
            "no",
            "--loglevel",
            "warning"));
    if (sentinelConfig == null) {
      command.addAll(List.of("--save", "", "--appendonly", "no"));
    }
    command.addAll(extraArgs);
    try {
      process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + executable, e);
    }
    await("redis-server on port " + port)
        .atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(20))
        .until(this::answersPing);
  }

  /** Stops the process (SIGTERM) and waits until it is gone. */
  void stop() {
    Process p = process;
    if (p == null) {
      return;
    }
    p.destroy();
    try {
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      p.destroyForcibly();
    }
    process = null;
  }

  /**
   * Kills the process (SIGKILL: no shutdown, no last words to clients or to a cluster) and waits
   * until it is gone; {@link #startAgain} may start it again.
   */
  void kill() {
    Process p = process;
    if (p == null) {
      return;
    }
    try {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process = null;
  }

  /** Sends one inline command and returns the first line of the reply, e.g. {@code +OK}. */
  String command(String command) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      socket.setSoTimeout(2000);
      OutputStream out = socket.getOutputStream();
      out.write((command + "\r\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = socket.getInputStream();
      StringBuilder line = new StringBuilder();
      int c;
      while ((c = in.read()) != -1 && c != '\n') {
        if (c != '\r') {
          line.append((char) c);
        }
      }
      return line.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private boolean answersPing() {
    try {
      // a server that wants a password answers -NOAUTH: it is up all the same
      String reply = command("PING");
      return "+PONG".equals(reply) || reply.startsWith("-NOAUTH");
    } catch (UncheckedIOException e) {
      return false;
    }
  }

  @Override
  public void close() {
    stop();
  }

  private static Path findExecutable() {
    Path found = find("redis-server");
    if (found == null) {
      throw new IllegalStateException(
          "redis-server is not on the PATH; the Redis tier's tests run against a real server."
              + " Install it (Debian/Ubuntu: apt-get install -y redis-server) and run again");
    }
    return found;
  }

  /** {@return the executable of that name on the PATH (or in the usual places), or null} */
  static Path find(String name) {
    String path = System.getenv("PATH");
    String[] dirs = (path == null ? "" : path).split(File.pathSeparator);
    for (String dir : dirs) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    for (String dir : List.of("/usr/bin", "/usr/sbin", "/usr/local/bin")) {
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  /** {@return a free port below 55536 whose cluster bus port (port + 10000) is free too} */
  static int freeClusterPort() {
    for (int attempt = 0; attempt < 100; attempt++) {
      int port = freePort();
      if (port + 10000 <= 65535 && isFree(port + 10000)) {
        return port;
      }
    }
    throw new IllegalStateException("no free port with a free cluster bus port in 100 attempts");
  }

  private static boolean isFree(int port) {
    try (ServerSocket socket =
        new ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.isBound();
    } catch (IOException e) {
      return false;
    }
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
