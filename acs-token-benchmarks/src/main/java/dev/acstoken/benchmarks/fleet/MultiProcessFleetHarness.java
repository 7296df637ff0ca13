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
 * <p>Two runs, each on a fresh {@code redis-server}: a cold start (every instance's threads ask for
 * every key at the same moment; refresh points beyond the run), and refreshes (refresh fraction so
 * small that 60-minute tokens refresh every few seconds). For the refreshes, a generation is a
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
          "## Fleet in separate JVMs: %d instances x %d threads, %d keys, one redis-server,"
              + " ACS calls counted at the emulator%n%n",
          instances,
          threads,
          keyCount);
      System.out.println(
          "| run | ACS calls | per key | generations | ACS calls per key per refresh |"
              + " reads | caller errors | expired tokens served | shared-tier failures |");
      System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
      Outcome cold = run(emulator, pem, idsFile, instances, threads, 8, 0.5, keyCount);
      print("cold start (8 s)", cold, keyCount, false);
      Outcome refresh = run(emulator, pem, idsFile, instances, threads, 40, 0.0015, keyCount);
      print("refreshes every ~5 s (40 s)", refresh, keyCount, true);
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
      int keys)
      throws Exception {
    RedisProcess redis = startRedis();
    try {
      int redisPort = redis.port();
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
                    Integer.toString(redisPort),
                    idsFile.toString(),
                    Integer.toString(threads),
                    Integer.toString(seconds),
                    Double.toString(refreshFraction),
                    Long.toString(startAt))
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start());
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
      redis.process().destroy();
      redis.process().waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** A redis-server on a free port of 127.0.0.1, without persistence; waits until it answers. */
  private record RedisProcess(Process process, int port) {}

  private static RedisProcess startRedis() throws IOException, InterruptedException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Process p =
        new ProcessBuilder(
                "redis-server",
                "--port",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    for (int i = 0; i < 100; i++) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        s.setSoTimeout(1000); // connected: the server listens
        return new RedisProcess(p, port);
      } catch (IOException notYet) {
        Thread.sleep(50);
      }
    }
    p.destroyForcibly();
    throw new IllegalStateException("redis-server did not start on port " + port);
  }
}
