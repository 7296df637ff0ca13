package dev.acstoken.directory.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.acstoken.core.IdentityId;
import dev.acstoken.core.IdentityOperations;
import dev.acstoken.core.azure.AcsIdentityClient;
import dev.acstoken.core.azure.ConnectionString;
import dev.acstoken.testkit.EmulatorTrust;
import dev.acstoken.testkit.MutableClock;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One service instance in a JVM of its own, for {@link PostgresFleetProcessesTest}: its own
 * connection pool, its own Azure SDK client talking to the test's emulator over HTTPS.
 *
 * <ul>
 *   <li>{@code fleet <jdbc> <table> <cs> <pem> <threads> <users> <seed>}: prints {@code ready},
 *       waits for a line on standard input, runs the threads (each asks for every user, in its own
 *       order), then prints {@code errors=<n> users=<n> identities=<distinct ids>}.
 *   <li>{@code crash <jdbc> <table> <cs> <pem> <before|after> <app user> <start instant>}: asks for
 *       one user with a fixed clock and halts the JVM (no clean-up, no shutdown hooks) right before
 *       the ACS call or right after ACS created the identity.
 * </ul>
 */
final class FleetProcess {

  private FleetProcess() {}

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(args[1]);
    config.setMaximumPoolSize(10);
    config.setMinimumIdle(0);
    try (HikariDataSource pool = new HikariDataSource(config)) {
      AcsIdentityClient acs =
          AcsIdentityClient.builder()
              .connectionString(ConnectionString.parse(args[3]))
              .httpClient(EmulatorTrust.fromPemFile(Path.of(args[4])).httpClient())
              .build();
      if (mode.equals("fleet")) {
        fleet(
            pool,
            args[2],
            acs,
            Integer.parseInt(args[5]),
            Integer.parseInt(args[6]),
            Long.parseLong(args[7]));
      } else {
        crash(pool, args[2], acs, args[5], args[6], Instant.parse(args[7]));
      }
    }
    System.exit(0);
  }

  private static void fleet(
      HikariDataSource pool,
      String table,
      IdentityOperations acs,
      int threads,
      int users,
      long seed)
      throws Exception {
    JdbcIdentityDirectory directory =
        JdbcIdentityDirectory.builder()
            .dataSource(pool)
            .identityOperations(acs)
            .tableName(table)
            .build();
    Map<String, Set<IdentityId>> answers = new ConcurrentHashMap<>();
    AtomicInteger errors = new AtomicInteger();
    System.out.println("ready");
    System.out.flush();
    new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    ExecutorService pool2 = Executors.newFixedThreadPool(threads);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      List<String> order = new ArrayList<>();
      for (int u = 0; u < users; u++) {
        order.add("user-" + u);
      }
      Collections.shuffle(order, new Random(seed * 1000 + t));
      done.add(
          pool2.submit(
              () -> {
                for (String user : order) {
                  try {
                    answers
                        .computeIfAbsent(user, k -> ConcurrentHashMap.newKeySet())
                        .add(directory.identityFor(user));
                  } catch (RuntimeException e) {
                    errors.incrementAndGet();
                    System.err.println("error: " + e);
                  }
                }
              }));
    }
    for (Future<?> f : done) {
      f.get(5, TimeUnit.MINUTES);
    }
    pool2.shutdown();
    List<String> ids = new ArrayList<>();
    int ambiguous = 0;
    for (Set<IdentityId> s : answers.values()) {
      if (s.size() != 1) {
        ambiguous++;
      }
      s.forEach(id -> ids.add(id.value()));
    }
    Collections.sort(ids);
    System.out.println(
        "errors="
            + errors.get()
            + " users="
            + answers.size()
            + " ambiguous="
            + ambiguous
            + " identities="
            + String.join(",", ids));
    System.out.flush();
    directory.close();
  }

  private static void crash(
      HikariDataSource pool,
      String table,
      AcsIdentityClient acs,
      String when,
      String user,
      Instant start) {
    IdentityOperations halting =
        new CrashingOperations(acs) {
          @Override
          public IdentityId createIdentity() {
            if (when.equals("before")) {
              Runtime.getRuntime().halt(137);
            }
            IdentityId created = super.createIdentity();
            Runtime.getRuntime().halt(137);
            return created;
          }
        };
    JdbcIdentityDirectory directory =
        JdbcIdentityDirectory.builder()
            .dataSource(pool)
            .identityOperations(halting)
            .tableName(table)
            .timeSource(MutableClock.at(start))
            .build();
    directory.identityFor(user);
  }
}
