package dev.acstoken.cache.redis;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A real Redis Cluster of three primaries (no replicas) on free ports of 127.0.0.1, each {@code
 * redis-server --cluster-enabled yes} in a temporary directory, joined by {@code redis-cli
 * --cluster create}; {@link #close()} stops every node and deletes the directories, also when
 * starting failed half-way.
 */
final class RedisCluster implements AutoCloseable {

  static final int PRIMARIES = 3;

  final List<RedisServer> nodes = new ArrayList<>();
  private final List<Path> dirs = new ArrayList<>();

  private RedisCluster() {}

  /**
   * Starts the cluster and waits until every node says {@code cluster_state:ok}; skips the test (an
   * assumption) when {@code redis-cli} is not installed.
   */
  static RedisCluster start() {
    Assumptions.assumeTrue(
        RedisServer.find("redis-cli") != null,
        "redis-cli is not on the PATH: the Redis Cluster tests need it to create the cluster"
            + " (Debian/Ubuntu: apt-get install -y redis-tools)");
    RedisCluster cluster = new RedisCluster();
    try {
      List<String> addresses = new ArrayList<>();
      for (int i = 0; i < PRIMARIES; i++) {
        Path dir = Files.createTempDirectory("acs-token-redis-cluster");
        cluster.dirs.add(dir);
        // the cluster bus listens on port + 10000: a port whose bus port is free too
        RedisServer node =
            RedisServer.start(
                RedisServer.freeClusterPort(),
                List.of(
                    "--cluster-enabled",
                    "yes",
                    "--cluster-config-file",
                    dir.resolve("nodes.conf").toString(),
                    "--cluster-node-timeout",
                    "2000",
                    "--dir",
                    dir.toString()));
        cluster.nodes.add(node);
        addresses.add("127.0.0.1:" + node.port());
      }
      List<String> create = new ArrayList<>(List.of("--cluster", "create"));
      create.addAll(addresses);
      create.add("--cluster-yes");
      cli(create);
      for (RedisServer node : cluster.nodes) {
        await("cluster_state:ok on port " + node.port())
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(50))
            .until(() -> cli(node.port(), "cluster", "info").contains("cluster_state:ok"));
      }
      return cluster;
    } catch (IOException | RuntimeException e) {
      cluster.close();
      if (e instanceof IOException io) {
        throw new UncheckedIOException(io);
      }
      throw (RuntimeException) e;
    }
  }

  /** {@return the {@code redis://} URIs of the nodes} */
  List<String> uris() {
    return nodes.stream().map(RedisServer::uri).toList();
  }

  /** Runs {@code redis-cli -p <port> <args>} and returns what it printed. */
  static String cli(int port, String... args) {
    List<String> command =
        new ArrayList<>(List.of("-h", "127.0.0.1", "-p", Integer.toString(port)));
    command.addAll(List.of(args));
    return cli(command);
  }

  /** Runs {@code redis-cli <args>} and returns what it printed; fails if it fails. */
  static String cli(List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(RedisServer.find("redis-cli").toString());
    command.addAll(args);
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("redis-cli did not finish: " + args);
      }
      String text = new String(out, StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        throw new IllegalStateException("redis-cli " + args + " failed: " + text);
      }
      return text;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Stops every node and deletes their directories. */
  @Override
  public void close() {
    nodes.forEach(RedisServer::stop);
    for (Path dir : dirs) {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      } catch (IOException e) {
        // a temporary directory left behind is not worth failing a test for
      }
    }
  }
}
