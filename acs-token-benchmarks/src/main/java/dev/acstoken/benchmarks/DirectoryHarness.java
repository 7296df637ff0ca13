package dev.acstoken.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.acstoken.cache.CachingTokenProvider;
import dev.acstoken.core.IdentityId;
import dev.acstoken.core.Scope;
import dev.acstoken.core.TokenRequest;
import dev.acstoken.directory.jdbc.JdbcIdentityDirectory;
import dev.acstoken.testkit.FakeAcs;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.function.IntConsumer;

/**
 * The latency of {@code identityFor} for a known user (one primary-key read of the directory's
 * table, no ACS call) on H2 in memory and on a local PostgreSQL, each through a HikariCP pool, next
 * to a token cache hit and to the pair that {@code POST /acs/token} runs (identityFor, then
 * getToken). One thread, a plain loop: each call timed with {@code System.nanoTime} into a
 * histogram, after a warm-up of the same calls. ACS is the in-memory {@link FakeAcs}: only the
 * first call of each user reaches it, before the measurement. PostgreSQL is started by the harness
 * when Debian's {@code postgresql} package is installed, and skipped otherwise.
 */
public final class DirectoryHarness {

  static final int USERS = 1_000;

  private DirectoryHarness() {}

  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args);
    Options.machine();
    int storeCalls = options.pick(20_000, 100_000);
    int cacheCalls = options.pick(200_000, 1_000_000);
    Table table =
        new Table(
            "identityFor of a known user next to a token cache hit: one thread, "
                + USERS
                + " users round-robin",
            "call",
            "calls",
            "p50",
            "p90",
            "p99",
            "max",
            "mean");
    FakeAcs acs = FakeAcs.create();
    String[] users = new String[USERS];
    for (int i = 0; i < USERS; i++) {
      users[i] = "user-" + i + "@example.com";
    }
    try (CachingTokenProvider cache =
        CachingTokenProvider.builder(acs)
            // the fill of 1,000 cold keys is set-up, not measured: no rate limit for it
            .refreshRateLimit(2 * USERS, Duration.ofSeconds(1))
            .build()) {
      try (HikariDataSource h2 =
          pool("jdbc:h2:mem:bench-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1")) {
        measureStore(table, "H2 in memory", h2, acs, cache, users, storeCalls, cacheCalls, true);
      }
      Optional<LocalPostgres> pg = LocalPostgres.start();
      if (pg.isEmpty()) {
        System.err.println("  PostgreSQL skipped: no /usr/lib/postgresql/*/bin/initdb");
      } else {
        try (LocalPostgres server = pg.get();
            HikariDataSource ds = pool(server.jdbcUrl())) {
          measureStore(
              table, "PostgreSQL, local TCP", ds, acs, cache, users, storeCalls, cacheCalls, false);
        }
      }
    }
    table.print();
  }

  private static void measureStore(
      Table table,
      String store,
      HikariDataSource ds,
      FakeAcs acs,
      CachingTokenProvider cache,
      String[] users,
      int storeCalls,
      int cacheCalls,
      boolean withCacheHit) {
    try (JdbcIdentityDirectory directory =
        JdbcIdentityDirectory.builder().dataSource(ds).identityOperations(acs).build()) {
      TokenRequest[] requests = new TokenRequest[users.length];
      for (int i = 0; i < users.length; i++) {
        // the first call creates the identity at the fake ACS; every later one is a store hit
        IdentityId id = directory.identityFor(users[i]);
        requests[i] = TokenRequest.of(id, Scope.VOIP);
        cache.getToken(requests[i]);
      }
      long acsCallsBefore = acs.callCount();
      if (withCacheHit) {
        row(
            table,
            "token cache hit: CachingTokenProvider.getToken",
            cacheCalls,
            i -> cache.getToken(requests[i % requests.length]));
      }
      row(
          table,
          "identityFor, known user: " + store + " (HikariCP, 4 connections)",
          storeCalls,
          i -> directory.identityFor(users[i % users.length]));
      row(
          table,
          "identityFor + getToken (POST /acs/token's work): " + store,
          storeCalls,
          i ->
              cache.getToken(
                  TokenRequest.of(directory.identityFor(users[i % users.length]), Scope.VOIP)));
      if (acs.callCount() != acsCallsBefore) {
        throw new IllegalStateException(
            "the measured calls reached ACS: " + (acs.callCount() - acsCallsBefore) + " calls");
      }
    }
  }

  private static void row(Table table, String what, int calls, IntConsumer call) {
    for (int i = 0; i < calls / 2; i++) { // warm-up
      call.accept(i);
    }
    Histogram h = new Histogram();
    long total = 0;
    for (int i = 0; i < calls; i++) {
      long start = System.nanoTime();
      call.accept(i);
      long took = System.nanoTime() - start;
      h.record(took);
      total += took;
    }
    table.row(
        what,
        calls,
        Histogram.format(h.percentile(0.50)),
        Histogram.format(h.percentile(0.90)),
        Histogram.format(h.percentile(0.99)),
        Histogram.format(h.max()),
        Histogram.format(total / calls));
  }

  private static HikariDataSource pool(String url) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setMaximumPoolSize(4);
    config.setPoolName("directory-bench");
    return new HikariDataSource(config);
  }
}
