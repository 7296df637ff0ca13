package dev.acstoken.cache.redis;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A Sentinel-managed Redis on free ports of 127.0.0.1: one primary, one replica of it and one
 * sentinel ({@code redis-server <config> --sentinel}, config in a temporary directory) that fails
 * over one second after the primary stops answering. {@link #close()} stops all three and deletes
 * the directory, also when starting failed half-way.
 */
final class RedisSentinel implements AutoCloseable {

  static final String MASTER = "acs-token-test";

  RedisServer primary;
  RedisServer replica;
  RedisServer sentinel;
  private Path dir;

  private RedisSentinel() {}

  /**
   * Starts the three and waits until the replica is in sync and the sentinel knows it; skips the
   * test (an assumption) when {@code redis-cli} is not installed.
   */
  static RedisSentinel start() {
    Assumptions.assumeTrue(
        RedisServer.find("redis-cli") != null,
        "redis-cli is not on the PATH: the Sentinel tests use it to watch the failover"
            + " (Debian/Ubuntu: apt-get install -y redis-tools)");
    RedisSentinel s = new RedisSentinel();
    try {
      s.dir = Files.createTempDirectory("acs-token-redis-sentinel");
      // each in a directory of its own: a replica writes the primary's snapshot to disk when it
      // syncs, and must not leave it in the build's working directory
      Path primaryDir = Files.createDirectory(s.dir.resolve("primary"));
      Path replicaDir = Files.createDirectory(s.dir.resolve("replica"));
      s.primary = RedisServer.start(List.of("--dir", primaryDir.toString()));
      s.replica =
          RedisServer.start(
              List.of(
                  "--dir",
                  replicaDir.toString(),
                  "--replicaof",
                  "127.0.0.1",
                  Integer.toString(s.primary.port())));
      await("replica in sync")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(50))
          .until(
              () ->
                  RedisCluster.cli(s.replica.port(), "info", "replication")
                      .contains("master_link_status:up"));
      Path config = s.dir.resolve("sentinel.conf");
      Files.writeString(
          config,
          String.join(
              "\n",
              "dir " + s.dir,
              "sentinel monitor " + MASTER + " 127.0.0.1 " + s.primary.port() + " 1",
              "sentinel down-after-milliseconds " + MASTER + " 1000",
              "sentinel failover-timeout " + MASTER + " 3000",
              "sentinel parallel-syncs " + MASTER + " 1",
              ""),
          StandardCharsets.UTF_8);
      s.sentinel = RedisServer.startSentinel(config);
      await("the sentinel knows the replica")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(100))
          .until(
              () ->
                  RedisCluster.cli(s.sentinel.port(), "sentinel", "replicas", MASTER)
                      .contains(Integer.toString(s.replica.port())));
      return s;
    } catch (IOException | RuntimeException e) {
      s.close();
      if (e instanceof IOException io) {
        throw new UncheckedIOException(io);
      }
      throw (RuntimeException) e;
    }
  }

  /** {@return the URI that names the sentinel and the primary's name, as an application has it} */
  String uri() {
    return "redis-sentinel://127.0.0.1:" + sentinel.port() + "#" + MASTER;
  }

  /** {@return the port of the primary the sentinel names now} */
  int primaryPort() {
    String[] lines =
        RedisCluster.cli(sentinel.port(), "sentinel", "get-master-addr-by-name", MASTER)
            .strip()
            .split("\\R");
    return Integer.parseInt(lines[lines.length - 1].strip());
  }

  /** {@return the URI of the primary the sentinel names now} */
  List<String> primaryUris() {
    return List.of("redis://127.0.0.1:" + primaryPort());
  }

  @Override
  public void close() {
    for (RedisServer server : new RedisServer[] {sentinel, replica, primary}) {
      if (server != null) {
        server.stop();
      }
    }
    if (dir != null) {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      } catch (IOException e) {
        // a temporary directory left behind is not worth failing a test for
      }
    }
  }
}
