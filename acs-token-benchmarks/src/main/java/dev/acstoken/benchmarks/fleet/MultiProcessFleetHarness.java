package dev.acstoken.benchmarks.fleet;

import dev.acstoken.core.IdentityId;
import dev.acstoken.core.azure.AcsIdentityClient;
import dev.acstoken.testkit.AcsEmulator;
import dev.acstoken.testkit.Operation;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A fleet in separate JVMs: N {@link FleetInstance} processes, each a {@code CachingTokenProvider}
 * with a {@code RedisSharedTier}, share one {@code redis-server} (started here, on a free port) in
 * front of one HTTPS emulator (in this JVM), and read the same keys with many threads. ACS calls
 * are counted at the emulator.
 *
 * <p>Two runs on a single {@code redis-server}, then the same two under Sentinel (a primary, a
 * replica and a sentinel; plus a third run in which the primary is killed after 15 s) and on a
 * 3-primary Redis Cluster (made with {@code redis-cli --cluster create}); the last two are skipped
 * without {@code redis-cli}. Each run on fresh servers: a cold start (every instance's threads ask
 * for every key at the same moment; refresh points beyond the run), and refreshes (refresh fraction
 * so small that 60-minute tokens refresh every few seconds). For the refreshes, a generation is a
 * distinct token that any instance served for a key; ACS calls per key per refresh is the ACS
 * issues divided by the generations. Each instance also counts caller errors and expired tokens it
 * handed out.
 *
 * <p>Run: {@code ./mvnw -q -pl acs-token-benchmarks -am package -DskipTests && java -cp
 * acs-token-benchmarks/target/benchmarks.jar dev.acstoken.benchmarks.fleet.MultiProcessFleetHarness
 * [instances threads keys]} (defaults 4 16 50; needs {@code redis-server} on the PATH).
 */
public final class MultiProcessFleetHarness {

  /** The AES key every instance encrypts the shared records with. */
  static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);

  /** The primary's name under Sentinel. */
  static final String MASTER = "acs";

  private enum Topology {
    SINGLE,
    SENTINEL,
    CLUSTER
  }

  private MultiProcessFleetHarness() {}

  private record Outcome(
      long acsIssues, long reads, long errors, long expired, long generations, long tierFailures) {}

  public static void main(String[] args) throws Exception {
    int instances = args.length > 0 ? Integer.parseInt(args[0]) : 4;
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 16;
    int keyCount = args.length > 2 ? Integer.parseInt(args[2]) : 50;
    Path dir = Files.createTempDirectory("acs-fleet");
    try (AcsEmulator emulator = AcsEmulator.builder().start()) {
      Path pem = dir.resolve("emulator.pem");
      Files.writeString(pem, emulator.certificatePem());
      AcsIdentityClient admin = emulator.acsIdentityClientBuilder().build();
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < keyCount; i++) {
        IdentityId id = admin.createIdentity();
        ids.add(id.value());
      }
      Path idsFile = dir.resolve("identities.txt");
      Files.write(idsFile, ids, StandardCharsets.UTF_8);

      System.out.printf(
          Locale.ROOT,
          "## Fleet in separate JVMs: %d instances x %d threads, %d keys, one Redis (single,"
              + " Sentinel, Cluster), ACS calls counted at the emulator%n%n",
          instances,
          threads,
          keyCount);
      System.out.println(
          "| run | ACS calls | per key | generations | ACS calls per key per refresh |"
              + " reads | caller errors | expired tokens served | shared-tier failures |");
      System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
      for (Topology topology : Topology.values()) {
        if (topology != Topology.SINGLE && !onPath("redis-cli")) {
          System.out.println(
              "| " + topology + ": skipped, redis-cli is not on the PATH | | | | | | | | |");
          continue;
        }
        String redis =
            switch (topology) {
              case SINGLE -> "single";
              case SENTINEL -> "Sentinel (primary, replica, sentinel)";
              case CLUSTER -> "Cluster (3 primaries)";
            };
        Outcome cold =
            run(emulator, pem, idsFile, instances, threads, 8, 0.5, keyCount, topology, false);
        print(redis + ": cold start (8 s)", cold, keyCount, false);
        Outcome refresh =
            run(emulator, pem, idsFile, instances, threads, 40, 0.0015, keyCount, topology, false);
        print(redis + ": refreshes every ~5 s (40 s)", refresh, keyCount, true);
        if (topology == Topology.SENTINEL) {
          Outcome failover =
              run(emulator, pem, idsFile, instances, threads, 40, 0.0015, keyCount, topology, true);
          print(redis + ": refreshes, primary killed after 15 s (40 s)", failover, keyCount, true);
        }
      }
    }
    System.exit(0);
  }

  private static void print(String name, Outcome o, int keys, boolean refreshes) {
    double perKey = o.acsIssues / (double) keys;
    String perRefresh =
        refreshes && o.generations > 0
            ? String.format(Locale.ROOT, "%.2f", o.acsIssues / (double) o.generations)
            : "-";
    System.out.printf(
        Locale.ROOT,
        "| %s | %d | %.2f | %d | %s | %d | %d | %d | %d |%n",
        name,
        o.acsIssues,
        perKey,
        o.generations,
        perRefresh,
        o.reads,
        o.errors,
        o.expired,
        o.tierFailures);
  }

  private static Outcome run(
      AcsEmulator emulator,
      Path pem,
      Path idsFile,
      int instances,
      int threads,
      int seconds,
      double refreshFraction,
      int keys,
      Topology topology,
      boolean killPrimary)
      throws Exception {
    List<RedisProcess> redis =
        switch (topology) {
          case SINGLE -> List.of(startRedis(List.of()));
          case SENTINEL -> startSentinel();
          case CLUSTER -> startCluster();
        };
    try {
      StringBuilder ports = new StringBuilder(topology.name().toLowerCase(Locale.ROOT) + ":");
      if (topology == Topology.SENTINEL) {
        ports.append(redis.get(2).port()); // the sentinel
      } else {
        for (int i = 0; i < redis.size(); i++) {
          ports.append(i == 0 ? "" : ",").append(redis.get(i).port());
        }
      }
      long issuesBefore = emulator.callCount(Operation.ISSUE_TOKEN);
      // every instance starts reading at the same moment, after the JVMs have started
      long startAt = System.currentTimeMillis() + 6_000;
      List<Process> children = new ArrayList<>();
      for (int i = 0; i < instances; i++) {
        children.add(
            new ProcessBuilder(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m",
                    "-cp",
                    System.getProperty("java.class.path"),
                    FleetInstance.class.getName(),
                    emulator.endpoint(),
                    emulator.accessKey(),
                    pem.toString(),
                    ports.toString(),
                    idsFile.toString(),
                    Integer.toString(threads),
                    Integer.toString(seconds),
                    Double.toString(refreshFraction),
                    Long.toString(startAt))
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start());
      }
      if (killPrimary) {
        // the primary dies mid-run; the sentinel promotes the replica
        long killAt = startAt + 15_000;
        Thread killer =
            new Thread(
                () -> {
                  try {
                    Thread.sleep(Math.max(0, killAt - System.currentTimeMillis()));
                  } catch (InterruptedException e) {
                    return;
                  }
                  redis.get(0).process().destroyForcibly();
                });
        killer.setDaemon(true);
        killer.start();
      }
      long reads = 0;
      long errors = 0;
      long expired = 0;
      long tierFailures = 0;
      Map<String, Set<String>> generations = new HashMap<>();
      for (Process p : children) {
        try (BufferedReader out =
            new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
          String line;
          while ((line = out.readLine()) != null) {
            if (line.startsWith("RESULT ")) {
              Map<String, Long> r = new HashMap<>();
              for (String kv : line.substring(7).split(" ")) {
                String[] parts = kv.split("=");
                r.put(parts[0], Long.parseLong(parts[1]));
              }
              reads += r.get("reads");
              errors += r.get("errors");
              expired += r.get("expired");
              tierFailures += r.get("sharedTierFailures");
            } else if (line.startsWith("SEEN ")) {
              String[] parts = line.split(" ");
              generations
                  .computeIfAbsent(parts[1], k -> new HashSet<>())
                  .addAll(List.of(parts[2].split(",")));
            }
          }
        }
        if (!p.waitFor(seconds + 60L, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new IllegalStateException("a fleet instance did not finish");
        }
      }
      long issues = emulator.callCount(Operation.ISSUE_TOKEN) - issuesBefore;
      long gens = generations.values().stream().mapToLong(Set::size).sum();
      return new Outcome(issues, reads, errors, expired, gens, tierFailures);
    } finally {
      for (RedisProcess r : redis) {
        r.process().destroy();
        r.process().waitFor(10, TimeUnit.SECONDS);
        deleteQuietly(r.dir());
      }
    }
  }

  /** A redis-server on a free port of 127.0.0.1, without persistence; waits until it answers. */
  record RedisProcess(Process process, int port, Path dir) {}

  /** Three cluster-enabled nodes joined by {@code redis-cli --cluster create}, state ok. */
  private static List<RedisProcess> startCluster() throws IOException, InterruptedException {
    List<RedisProcess> nodes = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        nodes.add(startRedis(List.of("--cluster-enabled", "yes")));
      }
      List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
      for (RedisProcess n : nodes) {
        create.add("127.0.0.1:" + n.port());
      }
      create.add("--cluster-yes");
      Process c = new ProcessBuilder(create).redirectErrorStream(true).start();
      c.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
      if (!c.waitFor(60, TimeUnit.SECONDS) || c.exitValue() != 0) {
        throw new IllegalStateException("redis-cli --cluster create failed");
      }
      for (RedisProcess n : nodes) {
        waitClusterOk(n.port());
      }
      return nodes;
    } catch (IOException | InterruptedException | RuntimeException e) {
      for (RedisProcess n : nodes) {
        n.process().destroyForcibly();
      }
      throw e;
    }
  }

  private static void waitClusterOk(int port) throws IOException, InterruptedException {
    for (int i = 0; i < 300; i++) {
      Process p =
          new ProcessBuilder("redis-cli", "-p", Integer.toString(port), "cluster", "info")
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(10, TimeUnit.SECONDS);
      if (out.contains("cluster_state:ok")) {
        return;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("cluster_state:ok never came on port " + port);
  }

  private static boolean onPath(String command) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(dir, command))) {
        return true;
      }
    }
    return false;
  }

  private static void deleteQuietly(Path dir) {
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | RuntimeException e) {
      // a temp directory left behind: harmless
    }
  }

  /** A primary, a replica of it, and a sentinel watching them (down after 1 s), replica in sync. */
  private static List<RedisProcess> startSentinel() throws IOException, InterruptedException {
    List<RedisProcess> started = new ArrayList<>();
    try {
      RedisProcess primary = startRedis(List.of());
      started.add(primary);
      RedisProcess replica =
          startRedis(List.of("--replicaof", "127.0.0.1", Integer.toString(primary.port())));
      started.add(replica);
      waitFor(replica.port(), List.of("info", "replication"), "master_link_status:up");
      int port;
      try (ServerSocket s = new ServerSocket(0)) {
        port = s.getLocalPort();
      }
      Path dir = Files.createTempDirectory("acs-fleet-sentinel");
      Path config = dir.resolve("sentinel.conf");
      Files.writeString(
          config,
          String.join(
              "\n",
              "port " + port,
              "bind 127.0.0.1",
              "dir " + dir,
              "sentinel monitor " + MASTER + " 127.0.0.1 " + primary.port() + " 1",
              "sentinel down-after-milliseconds " + MASTER + " 1000",
              "sentinel failover-timeout " + MASTER + " 3000",
              ""),
          StandardCharsets.UTF_8);
      Process sentinel =
          new ProcessBuilder("redis-server", config.toString(), "--sentinel")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      started.add(new RedisProcess(sentinel, port, dir));
      waitFor(port, List.of("sentinel", "replicas", MASTER), Integer.toString(replica.port()));
      return started;
    } catch (IOException | InterruptedException | RuntimeException e) {
      for (RedisProcess r : started) {
        r.process().destroyForcibly();
      }
      throw e;
    }
  }

  private static void waitFor(int port, List<String> command, String expected)
      throws IOException, InterruptedException {
    List<String> cli = new ArrayList<>(List.of("redis-cli", "-p", Integer.toString(port)));
    cli.addAll(command);
    for (int i = 0; i < 300; i++) {
      Process p = new ProcessBuilder(cli).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(10, TimeUnit.SECONDS);
      if (out.contains(expected)) {
        return;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("'" + expected + "' never came on port " + port);
  }

  static RedisProcess startRedis(List<String> extra) throws IOException, InterruptedException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path dir = Files.createTempDirectory("acs-fleet-redis");
    List<String> command =
        new ArrayList<>(
            List.of(
                "redis-server",
                "--port",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                dir.toString()));
    command.addAll(extra);
    if (extra.contains("--cluster-enabled")) {
      command.addAll(List.of("--cluster-config-file", dir.resolve("nodes.conf").toString()));
    }
    Process p =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    for (int i = 0; i < 100; i++) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        s.setSoTimeout(1000); // connected: the server listens
        return new RedisProcess(p, port, dir);
      } catch (IOException notYet) {
        Thread.sleep(50);
      }
    }
    p.destroyForcibly();
    throw new IllegalStateException("redis-server did not start on port " + port);
  }
}
