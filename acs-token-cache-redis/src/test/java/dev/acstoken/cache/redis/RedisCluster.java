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
 * A real Redis Cluster of three primaries, without replicas ({@link #start()}) or with one replica
 * each ({@link #startWithReplicas()}), on free ports of 127.0.0.1, each {@code redis-server
 * --cluster-enabled yes} in a temporary directory, joined by {@code redis-cli --cluster create};
 * {@link #close()} stops every node and deletes the directories, also when starting failed
 * half-way.
 */
final class RedisCluster implements AutoCloseable {

  static final int PRIMARIES = 3;

  final List<RedisServer> nodes = new ArrayList<>();
  private final List<Path> dirs = new ArrayList<>();

  private RedisCluster() {}

  /**
   * Starts three primaries without replicas and waits until every node says {@code
   * cluster_state:ok}; skips the test (an assumption) when {@code redis-cli} is not installed.
   */
  static RedisCluster start() {
    return start(0, Duration.ofSeconds(2));
  }

  /**
   * Starts three primaries with one replica each (six nodes) and a node timeout of 1 s, so that a
   * replica takes over about two seconds after its primary dies; waits until every node says {@code
   * cluster_state:ok} and every replica has synchronised with its primary. Skips the test when
   * {@code redis-cli} is not installed.
   */
  static RedisCluster startWithReplicas() {
    return start(1, Duration.ofSeconds(1));
  }

  private static RedisCluster start(int replicasPerPrimary, Duration nodeTimeout) {
    Assumptions.assumeTrue(
        RedisServer.find("redis-cli") != null,
        "redis-cli is not on the PATH: the Redis Cluster tests need it to create the cluster"
            + " (Debian/Ubuntu: apt-get install -y redis-tools)");
    RedisCluster cluster = new RedisCluster();
    try {
      List<String> addresses = new ArrayList<>();
      for (int i = 0; i < PRIMARIES * (1 + replicasPerPrimary); i++) {
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
                    Long.toString(nodeTimeout.toMillis()),
                    "--dir",
                    dir.toString()));
        cluster.nodes.add(node);
        addresses.add("127.0.0.1:" + node.port());
      }
      List<String> create = new ArrayList<>(List.of("--cluster", "create"));
      create.addAll(addresses);
      if (replicasPerPrimary > 0) {
        // redis-cli makes the first three nodes primaries and the others their replicas
        create.addAll(List.of("--cluster-replicas", Integer.toString(replicasPerPrimary)));
      }
      create.add("--cluster-yes");
      cli(create);
      for (RedisServer node : cluster.nodes) {
        await("cluster_state:ok on port " + node.port())
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(50))
            .until(() -> cli(node.port(), "cluster", "info").contains("cluster_state:ok"));
      }
      for (RedisServer node : cluster.nodes) {
        // a replica that has not synchronised yet would have nothing to take over with
        await("replication up on port " + node.port())
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(50))
            .until(
                () -> {
                  String info = cli(node.port(), "info", "replication");
                  return info.contains("role:master") || info.contains("master_link_status:up");
                });
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

  /** {@return the {@code redis://} URIs of the nodes that run} */
  List<String> uris() {
    return running().stream().map(RedisServer::uri).toList();
  }

  /** {@return the nodes whose process runs (all but those {@link #kill}ed)} */
  List<RedisServer> running() {
    return nodes.stream().filter(RedisServer::isRunning).toList();
  }

  /** Kills one node (SIGKILL), as a crash or a lost machine would. */
  void kill(RedisServer node) {
    node.kill();
  }

  /** {@return the node of this cluster on that port} */
  RedisServer node(int port) {
    return nodes.stream()
        .filter(n -> n.port() == port)
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no node on port " + port));
  }

  /**
   * {@return the port of the primary that serves the slot, as the first running node's {@code
   * CLUSTER NODES} says}
   */
  int primaryOf(int slot) {
    for (String[] line : clusterNodes()) {
      // <id> <ip:port@bus> <flags> <primary id> <ping> <pong> <epoch> <link> <slot ranges...>
      if (!line[2].contains("master") || line[2].contains("fail")) {
        continue;
      }
      for (int i = 8; i < line.length; i++) {
        String range = line[i];
        if (range.startsWith("[")) {
          continue; // a slot in migration
        }
        String[] ends = range.split("-");
        int start = Integer.parseInt(ends[0]);
        int end = Integer.parseInt(ends[ends.length - 1]);
        if (slot >= start && slot <= end) {
          return port(line[1]);
        }
      }
    }
    throw new IllegalStateException("no primary serves slot " + slot);
  }

  /** {@return the port of the (first) replica of the primary on that port} */
  int replicaOf(int primaryPort) {
    List<String[]> lines = clusterNodes();
    String primaryId = null;
    for (String[] line : lines) {
      if (port(line[1]) == primaryPort) {
        primaryId = line[0];
      }
    }
    for (String[] line : lines) {
      if (line[3].equals(primaryId) && line[2].contains("slave")) {
        return port(line[1]);
      }
    }
    throw new IllegalStateException("the primary on port " + primaryPort + " has no replica");
  }

  /** {@return whether every running node says {@code cluster_state:ok}} */
  boolean stateOk() {
    return running().stream()
        .allMatch(n -> cli(n.port(), "cluster", "info").contains("cluster_state:ok"));
  }

  private List<String[]> clusterNodes() {
    String text = cli(running().get(0).port(), "cluster", "nodes");
    return text.strip().lines().map(l -> l.strip().split(" ")).toList();
  }

  private static int port(String address) {
    // 127.0.0.1:7000@17000
    String hostPort = address.split("@")[0];
    return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
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
