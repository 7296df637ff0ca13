package dev.acstoken.directory.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.acstoken.core.AccessToken;
import dev.acstoken.core.IdentityId;
import dev.acstoken.core.Scope;
import dev.acstoken.core.TokenRequest;
import dev.acstoken.core.azure.AcsIdentityClient;
import dev.acstoken.testkit.AcsEmulator;
import dev.acstoken.testkit.MutableClock;
import dev.acstoken.testkit.Operation;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Service instances as separate JVMs, each with its own pool and its own Azure SDK client, on a
 * real PostgreSQL, counting identities at the HTTPS emulator: exactly-once creation across
 * processes, and what a real kill (halt, no clean-up) at each point of the protocol leaves.
 */
class PostgresFleetProcessesTest {

  private static final Instant START = Instant.parse("2026-03-01T08:00:00Z");

  static AcsEmulator emulator;
  static Path pem;

  @BeforeAll
  static void start(@TempDir Path dir) throws IOException {
    PostgresServer.shared();
    emulator = AcsEmulator.builder().start();
    pem = dir.resolve("emulator.pem");
    Files.writeString(pem, emulator.certificatePem(), StandardCharsets.US_ASCII);
  }

  @AfterAll
  static void stop() {
    emulator.close();
  }

  private static Process launch(String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        List.of(
            "-Xmx256m",
            "-XX:TieredStopAtLevel=1",
            "-cp",
            System.getProperty("java.class.path"),
            FleetProcess.class.getName()));
    command.addAll(Arrays.asList(args));
    return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }

  private JdbcIdentityDirectory parentDirectory(String table, MutableClock clock) {
    return JdbcIdentityDirectory.builder()
        .dataSource(Databases.POSTGRESQL.unpooled())
        .identityOperations(emulator.acsIdentityClientBuilder().build())
        .tableName(table)
        .timeSource(clock)
        .build();
  }

  @Test
  void identityFor_fourJvmsOf25ThreadsAskFor100NewUsers_createExactly100IdentitiesAtTheEmulator()
      throws Exception {
    emulator.reset();
    String table = Databases.freshTable();
    String jdbc = Databases.POSTGRESQL.jdbcUrl();
    int jvms = 4;
    List<Process> fleet = new ArrayList<>();
    List<BufferedReader> outputs = new ArrayList<>();
    try {
      for (int i = 0; i < jvms; i++) {
        Process p =
            launch(
                "fleet",
                jdbc,
                table,
                emulator.connectionString(),
                pem.toString(),
                "25",
                "100",
                Integer.toString(i));
        fleet.add(p);
        outputs.add(
            new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)));
      }
      for (BufferedReader out : outputs) {
        assertThat(out.readLine()).isEqualTo("ready");
      }
      // all four JVMs start asking at once
      for (Process p : fleet) {
        OutputStream in = p.getOutputStream();
        in.write("go\n".getBytes(StandardCharsets.UTF_8));
        in.flush();
      }
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < jvms; i++) {
        String result = outputs.get(i).readLine();
        assertThat(fleet.get(i).waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(result).startsWith("errors=0 users=100 ambiguous=0 identities=");
        seen.addAll(Arrays.asList(result.substring(result.indexOf("identities=") + 11).split(",")));
      }

      assertThat(emulator.callCount(Operation.CREATE_IDENTITY)).isEqualTo(100);
      assertThat(emulator.identities()).hasSize(100);
      assertThat(emulator.deletedIdentities()).isEmpty();
      // every JVM saw the same 100 identities: the ones that exist
      assertThat(seen)
          .containsExactlyInAnyOrderElementsOf(
              emulator.identities().stream().map(IdentityId::value).toList());
    } finally {
      fleet.forEach(Process::destroyForcibly);
    }
  }

  @Test
  void forget_thenIdentityFor_throughTheSdk_deletesOldIdentityRejectsItsTokenAndCreatesNew() {
    emulator.reset();
    MutableClock clock = MutableClock.at(START);
    AcsIdentityClient sdk = emulator.acsIdentityClientBuilder().build();
    try (JdbcIdentityDirectory directory = parentDirectory(Databases.freshTable(), clock)) {
      IdentityId old = directory.identityFor("carol");
      AccessToken token = sdk.getToken(TokenRequest.of(old, Scope.VOIP));
      assertThat(emulator.isValid(token.value())).isTrue();

      directory.forget("carol");
      IdentityId renewed = directory.identityFor("carol");

      assertThat(renewed).isNotEqualTo(old);
      assertThat(emulator.deletedIdentities()).containsExactly(old);
      assertThat(emulator.isValid(token.value())).isFalse();
      assertThat(emulator.identities()).containsExactly(renewed);
    }
  }

  @Test
  void identityFor_afterJvmKilledBeforeTheAcsCall_nextCallCreatesOneIdentityAndNoOrphan()
      throws Exception {
    emulator.reset();
    String table = Databases.freshTable();
    Process p =
        launch(
            "crash",
            Databases.POSTGRESQL.jdbcUrl(),
            table,
            emulator.connectionString(),
            pem.toString(),
            "before",
            "alice",
            START.toString());
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).isEqualTo(137);
    MutableClock clock = MutableClock.at(START);
    try (JdbcIdentityDirectory directory = parentDirectory(table, clock)) {
      assertThat(directory.find("alice")).isEmpty();

      clock.advance(JdbcIdentityDirectory.DEFAULT_CLAIM_TIMEOUT);
      IdentityId alice = directory.identityFor("alice");

      assertThat(emulator.identities()).containsExactly(alice);
      assertThat(directory.reconcile()).isEqualTo(new ReconcileResult(0, 0, 0));
    }
  }

  @Test
  void reconcile_afterJvmKilledRightAfterAcsCreated_countsTheClaimWhoseIdentityIsLost()
      throws Exception {
    emulator.reset();
    String table = Databases.freshTable();
    Process p =
        launch(
            "crash",
            Databases.POSTGRESQL.jdbcUrl(),
            table,
            emulator.connectionString(),
            pem.toString(),
            "after",
            "bob",
            START.toString());
    assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).isEqualTo(137);
    assertThat(emulator.identities()).hasSize(1);
    IdentityId lost = emulator.identities().get(0);
    MutableClock clock = MutableClock.at(START.plus(Duration.ofMinutes(5)));
    try (JdbcIdentityDirectory directory = parentDirectory(table, clock)) {

      assertThat(directory.reconcile().abandonedClaims()).isEqualTo(1);
      IdentityId bob = directory.identityFor("bob");

      // the user has exactly one identity; the one ACS created for the killed JVM is the known,
      // counted limit of api-version 2022-10-01 (no lookup but by id)
      assertThat(bob).isNotEqualTo(lost);
      assertThat(directory.find("bob")).contains(bob);
    }
  }
}
