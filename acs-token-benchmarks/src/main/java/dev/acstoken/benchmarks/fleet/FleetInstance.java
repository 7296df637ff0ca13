package dev.acstoken.benchmarks.fleet;

import dev.acstoken.cache.CacheStats;
import dev.acstoken.cache.CachingTokenProvider;
import dev.acstoken.cache.redis.EncryptionKeys;
import dev.acstoken.cache.redis.RedisSharedTier;
import dev.acstoken.cache.redis.RedisSharedTierBuilder;
import dev.acstoken.core.AccessToken;
import dev.acstoken.core.IdentityId;
import dev.acstoken.core.Scope;
import dev.acstoken.core.TokenLifetime;
import dev.acstoken.core.TokenRequest;
import dev.acstoken.core.azure.AcsIdentityClient;
import dev.acstoken.testkit.EmulatorTrust;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;

/**
 * One instance of the simulated service, in its own JVM: an {@link AcsIdentityClient} against the
 * emulator, a {@link CachingTokenProvider} with a {@link RedisSharedTier}, and reader threads that
 * ask for every key in random order until the run ends. Started by {@link
 * MultiProcessFleetHarness}; prints one {@code RESULT} line and one {@code SEEN} line per key
 * (digests of the tokens it served, never a token).
 *
 * <p>Arguments: {@code endpoint accessKey pemFile redis identitiesFile threads seconds
 * refreshFraction startAtEpochMillis}; {@code redisPorts} is {@code single:PORT}, {@code
 * cluster:P1,P2,P3} (the nodes of a Redis Cluster) or {@code sentinel:PORT} (a Sentinel).
 */
public final class FleetInstance {

  private FleetInstance() {}

  public static void main(String[] args) throws Exception {
    String endpoint = args[0];
    String accessKey = args[1];
    Path pem = Path.of(args[2]);
    // "single:PORT", "cluster:P1,P2,P3" (seed nodes) or "sentinel:PORT" (the sentinel)
    String[] redisSpec = args[3].split(":", 2);
    String[] redisPorts = redisSpec[1].split(",");
    List<String> ids = Files.readAllLines(Path.of(args[4]), StandardCharsets.UTF_8);
    int threads = Integer.parseInt(args[5]);
    long seconds = Long.parseLong(args[6]);
    double refreshFraction = Double.parseDouble(args[7]);
    long startAt = Long.parseLong(args[8]);

    List<TokenRequest> keys = new ArrayList<>();
    for (String id : ids) {
      if (!id.isBlank()) {
        keys.add(
            TokenRequest.of(IdentityId.of(id.trim()), Scope.VOIP)
                .withLifetime(TokenLifetime.ofMinutes(60)));
      }
    }
    AcsIdentityClient acs =
        AcsIdentityClient.builder()
            .endpoint(endpoint)
            .accessKey(accessKey)
            .httpClient(EmulatorTrust.fromPemFile(pem).httpClient())
            .build();
    RedisSharedTierBuilder tierBuilder =
        RedisSharedTier.builder()
            .encryptionKeys(EncryptionKeys.of("fleet", MultiProcessFleetHarness.KEY));
    if (redisSpec[0].equals("sentinel")) {
      tierBuilder.redisUri(
          "redis-sentinel://127.0.0.1:" + redisPorts[0] + "#" + MultiProcessFleetHarness.MASTER);
    } else if (redisSpec[0].equals("single")) {
      tierBuilder.redisUri("redis://127.0.0.1:" + redisPorts[0]);
    } else {
      String[] seeds = new String[redisPorts.length];
      for (int i = 0; i < seeds.length; i++) {
        seeds[i] = "redis://127.0.0.1:" + redisPorts[i];
      }
      tierBuilder.redisCluster(seeds);
    }
    RedisSharedTier tier = tierBuilder.build();
    LongAdder reads = new LongAdder();
    LongAdder errors = new LongAdder();
    LongAdder expired = new LongAdder();
    Map<TokenRequest, Set<String>> seen = new ConcurrentHashMap<>();
    try (CachingTokenProvider cache =
        CachingTokenProvider.builder(acs)
            .sharedTier(tier)
            .refreshFraction(refreshFraction)
            .refreshJitter(Duration.ZERO)
            .recordStats()
            .build()) {
      long wait = startAt - System.currentTimeMillis();
      if (wait > 0) {
        Thread.sleep(wait); // a harness: every instance starts reading at the same moment
      }
      long end = System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
      List<Thread> readers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        Thread r =
            new Thread(
                () -> {
                  MessageDigest sha;
                  try {
                    sha = MessageDigest.getInstance("SHA-256");
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                  List<TokenRequest> order = new ArrayList<>(keys);
                  while (System.nanoTime() - end < 0) {
                    java.util.Collections.shuffle(order, ThreadLocalRandom.current());
                    for (TokenRequest k : order) {
                      try {
                        AccessToken token = cache.getToken(k);
                        reads.increment();
                        if (!token.expiresAt().isAfter(Instant.now())) {
                          expired.increment();
                        }
                        byte[] d = sha.digest(token.value().getBytes(StandardCharsets.UTF_8));
                        seen.computeIfAbsent(k, x -> ConcurrentHashMap.newKeySet())
                            .add(HexFormat.of().formatHex(d, 0, 8));
                      } catch (RuntimeException e) {
                        errors.increment();
                      }
                    }
                  }
                },
                "reader-" + t);
        r.start();
        readers.add(r);
      }
      for (Thread r : readers) {
        r.join();
      }
      CacheStats stats = cache.stats();
      PrintStream out = System.out;
      out.println(
          "RESULT reads="
              + reads.sum()
              + " errors="
              + errors.sum()
              + " expired="
              + expired.sum()
              + " sharedTierHits="
              + stats.sharedTierHits()
              + " sharedTierFailures="
              + stats.sharedTierFailures()
              + " backendCalls="
              + stats.refreshes());
      for (Map.Entry<TokenRequest, Set<String>> e : seen.entrySet()) {
        out.println("SEEN " + e.getKey().identity().value() + " " + String.join(",", e.getValue()));
      }
      out.flush();
    }
    System.exit(0);
  }
}
