package dev.acstoken.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.acstoken.testkit.AcsEmulator;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The traps a new user fell into, each fixed, each checked here. */
class CliTrapsTest {

  static final String USER = OfflineCommandsTest.USER;
  static final String KEY =
      "dGhpcyBpcyBhIHRlc3Qga2V5IHRoYXQgbXVzdCBuZXZlciBiZSBlY2hvZWQgYmFjayB0byBhIHVzZXIgMTIzNA==";
  static final String CS = "endpoint=https://acs-test.communication.azure.com/;accesskey=" + KEY;
  static final String JWT = OfflineCommandsTest.jwt(1_700_000_000L, 1_700_086_400L);

  static AcsEmulator emulator;
  static Path cert;

  @BeforeAll
  static void start(@TempDir Path dir) throws IOException {
    emulator = AcsEmulator.builder().start();
    cert = dir.resolve("emulator.pem");
    Files.writeString(cert, emulator.certificatePem(), StandardCharsets.US_ASCII);
  }

  @AfterAll
  static void stop() {
    emulator.close();
  }

  // --- help

  @Test
  void help_commandPath_printsTheHelpOfTheLastCommand() {
    CliRun run = CliRun.run("help", "token", "issue");
    assertThat(run.exitCode).as(run.toString()).isZero();
    assertThat(run.out).contains("Usage: acs-token token issue").contains("--scopes");
  }

  @Test
  void help_unknownCommand_isAUsageErrorListingTheCommands() {
    CliRun run = CliRun.run("help", "token", "frobnicate");
    assertThat(run.exitCode).isEqualTo(ExitCode.USAGE);
    assertThat(run.err).contains("'frobnicate'").contains("issue, revoke, inspect");
  }

  @Test
  void help_commandList_showsWholeSentences() {
    CliRun run = CliRun.run("--help");
    assertThat(run.out)
        .contains("quickstart  Run the ACS access-token quickstart end to end.\n")
        .doesNotContain("issue a 'voip' token,\n");
  }

  @Test
  void help_root_putsTheConnectionStringFileFirstAndWrapsNothingMidPhrase() {
    CliRun run = CliRun.run("--help");
    // in the option list (the synopsis sorts by name)
    assertThat(run.out.indexOf("\n      --connection-string-file=<file>"))
        .isPositive()
        .isLessThan(run.out.indexOf("\n      --connection-string=<cs>"));
    assertThat(run.out.lines())
        .allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(80));
    assertThat(run.out).contains("Connection string: --connection-string-file <file>");
  }

  @Test
  void help_scopes_listsOnlyTheScopesTheToolCanIssue() {
    CliRun run = CliRun.run("token", "issue", "--help");
    assertThat(run.out).contains("chat, voip").contains("2023-10-01");
  }

  // --- JSON everywhere

  @Test
  void quickstart_json_printsOneJsonObject() {
    CliRun run = CliRun.run("-o", "json", "quickstart");
    assertThat(run.exitCode).as(run.toString()).isZero();
    assertThat(run.out.lines().count()).as(run.out).isEqualTo(1);
    assertThat(run.out)
        .startsWith("{\"target\":\"emulator\"")
        .contains("\"identity\":\"8:acs:")
        .contains("\"servedFromCache\":true")
        .contains("\"validTokenServedMeanwhile\":true")
        .contains("\"revokedTokenServed\":false")
        .contains("\"emulatorRejectsRevokedToken\":true")
        .contains("\"deleted\":true");
  }

  // --- malformed values are usage errors before any call

  @ParameterizedTest
  @MethodSource("malformedIds")
  void tokenIssue_malformedId_isAUsageErrorWithoutACall(String id, String says) {
    long before = emulator.requests().size();
    CliRun run = emulatorRun("token", "issue", id, "--scopes", "voip");
    assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCode.USAGE);
    assertThat(run.err).contains(says).contains("8:acs:<resource guid>_<8-4-4-4-12 hex id>");
    assertThat(emulator.requests()).hasSize((int) before);
  }

  static Stream<Arguments> malformedIds() {
    return Stream.of(
        Arguments.of("notanid", "is not an ACS user id"),
        Arguments.of(USER.replace("8:acs:", "8:ACS:"), "the prefix is lower case"),
        Arguments.of("8:orgid:2dee53b4-368b-45b4-ab52-8493fb117652", "is not an ACS user id"));
  }

  @Test
  void identityDelete_malformedId_isAUsageError() {
    CliRun run = emulatorRun("identity", "delete", "notanid");
    assertThat(run.exitCode).isEqualTo(ExitCode.USAGE);
  }

  @Test
  void tokenIssue_hugeExpiresIn_isAUsageErrorNotAnOverflow() {
    CliRun run =
        CliRun.run(
            "token", "issue", USER, "--scopes", "voip", "--expires-in", "9223372036854775807h");
    assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCode.USAGE);
    assertThat(run.err).contains("--expires-in").contains("too long").doesNotContain("overflow");
  }

  @Test
  void tokenIssue_joinScope_isAUsageErrorNamingTheApiVersion() {
    long before = emulator.requests().size();
    CliRun run = emulatorRun("token", "issue", USER, "--scopes", "chat.join");
    assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCode.USAGE);
    assertThat(run.err)
        .contains("chat.join")
        .contains("2023-10-01")
        .contains("allowed: chat, voip");
    assertThat(emulator.requests()).hasSize((int) before);
  }

  @Test
  void durations_inMessages_areWrittenAsPeopleWriteThem() {
    CliRun lifetime = CliRun.run("token", "issue", USER, "--scopes", "voip", "--expires-in", "20s");
    CliRun timeout = CliRun.run("--timeout", "11m", "identity", "create");
    assertThat(lifetime.exitCode).isEqualTo(ExitCode.USAGE);
    assertThat(timeout.exitCode).isEqualTo(ExitCode.USAGE);
    assertThat(lifetime.err).contains("20s").doesNotContain("PT");
    assertThat(timeout.err).contains("at most 10m").doesNotContain("PT");
  }

  // --- network and environment errors say what to do

  @Test
  void untrustedCertificate_isAConfigurationErrorPointingToCaCert() {
    CliRun run =
        CliRun.run(
            Map.of("ACS_CONNECTION_STRING", emulator.connectionString()), "", "identity", "create");
    assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCode.CONFIGURATION);
    assertThat(run.err).contains("certificate is not trusted").contains("--ca-cert");
  }

  @Test
  void failedTlsHandshake_isNotRetried() throws Exception {
    // a server that accepts connections and hangs up: every TLS handshake fails
    try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
      AtomicInteger connections = new AtomicInteger();
      Thread acceptor =
          new Thread(
              () -> {
                while (!server.isClosed()) {
                  try {
                    Socket s = server.accept();
                    connections.incrementAndGet();
                    s.close();
                  } catch (IOException closed) {
                    return;
                  }
                }
              });
      acceptor.setDaemon(true);
      acceptor.start();

      CliRun run =
          CliRun.run(
              "--connection-string",
              "endpoint=https://127.0.0.1:" + server.getLocalPort() + "/;accesskey=cHc9PQ==",
              "--max-retries",
              "3",
              "identity",
              "create");

      assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCode.CONFIGURATION);
      assertThat(run.err).contains("--ca-cert");
      assertThat(connections.get()).as("connections, retries included").isEqualTo(1);
    }
  }

  @Test
  void refusedConnection_saysConnectionRefused() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    CliRun run =
        CliRun.run(
            "--connection-string",
            "endpoint=https://127.0.0.1:" + port + "/;accesskey=cHc9PQ==",
            "--max-retries",
            "0",
            "identity",
            "create");
    assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCode.NETWORK);
    assertThat(run.err).contains("connection refused").doesNotContain("Exception");
  }

  @Test
  void emulator_busyPort_isAConfigurationErrorNamingThePort() throws IOException {
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = busy.getLocalPort();
      CliRun run = CliRun.run("emulator", "--port", String.valueOf(port));
      assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCode.CONFIGURATION);
      assertThat(run.err)
          .contains("--port " + port + " is already in use")
          .doesNotContain("Exception");
    }
  }

  // --- secrets in misplaced arguments are never echoed

  @ParameterizedTest
  @MethodSource("misplacedSecrets")
  void misplacedSecret_isNeverEchoed(List<String> args) {
    for (boolean json : new boolean[] {false, true}) {
      List<String> all = new ArrayList<>(json ? List.of("-o", "json") : List.of());
      all.addAll(args);
      CliRun run = CliRun.run(Map.of(), "", all.toArray(new String[0]));
      assertThat(run.exitCode).as(run.toString()).isNotZero();
      assertThat(run.all())
          .as(run.toString())
          .doesNotContain(KEY)
          .doesNotContain(KEY.substring(0, 24))
          .doesNotContain(JWT.substring(JWT.indexOf('.') + 1))
          .contains("error");
    }
  }

  static Stream<List<String>> misplacedSecrets() {
    return Stream.of(
        List.of("identity", "create", CS),
        List.of("identity", "delete", CS),
        List.of("token", "issue", CS, "--scopes", "voip"),
        List.of("token", "revoke", JWT),
        List.of("--timeout", CS, "identity", "create"),
        List.of("--max-retries", CS, "identity", "create"),
        List.of("--connection-strin=" + CS, "identity", "create"),
        List.of("--connection-strin", CS, "identity", "create"),
        List.of("--connection-string-file", CS, "identity", "create"),
        List.of("token", "issue", USER, "--scopes", KEY),
        List.of("token", "issue", USER, "--scopes", "voip", "--expires-in", KEY),
        List.of("token", "issue", USER, "--scopes", "voip", "--expires-in", CS),
        List.of("teams", "exchange", "--token", "x", "--app-id", JWT, "--user-id", USER));
  }

  @Test
  void misplacedSecret_verbose_stackTraceRedactedToo() {
    CliRun run = CliRun.run("-v", "--timeout", CS, "identity", "create");
    assertThat(run.exitCode).isEqualTo(ExitCode.USAGE);
    assertThat(run.all()).doesNotContain(KEY);
  }

  // --- the connection string from a file or standard input

  @Test
  void connectionStringFile_path_isUsed(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("acs.txt");
    Files.writeString(file, emulator.connectionString() + "\n", StandardCharsets.UTF_8);
    CliRun run =
        CliRun.run(
            "--connection-string-file",
            file.toString(),
            "--ca-cert",
            cert.toString(),
            "identity",
            "create");
    assertThat(run.exitCode).as(run.toString()).isZero();
    assertThat(run.out.trim()).startsWith("8:acs:");
  }

  @Test
  void connectionStringFile_dash_readsStandardInput() {
    CliRun run =
        CliRun.run(
            Map.of(),
            emulator.connectionString(),
            "--connection-string-file",
            "-",
            "--ca-cert",
            cert.toString(),
            "-o",
            "json",
            "identity",
            "create");
    assertThat(run.exitCode).as(run.toString()).isZero();
    assertThat(run.out).startsWith("{\"identity\":\"8:acs:");
  }

  @Test
  void connectionStringFile_missing_isAConfigurationErrorNamingThePath(@TempDir Path dir) {
    Path file = dir.resolve("nowhere.txt");
    CliRun run = CliRun.run("--connection-string-file", file.toString(), "identity", "create");
    assertThat(run.exitCode).isEqualTo(ExitCode.CONFIGURATION);
    assertThat(run.err).contains(file.toString()).contains("no such file");
  }

  @Test
  void connectionStringFile_andConnectionString_isAUsageError() {
    CliRun run =
        CliRun.run(
            "--connection-string-file", "-", "--connection-string", CS, "identity", "create");
    assertThat(run.exitCode).isEqualTo(ExitCode.USAGE);
    assertThat(run.all()).doesNotContain(KEY);
  }

  @Test
  void connectionStringFile_dash_andTokenFromStdin_isAUsageError() {
    CliRun run =
        CliRun.run(
            Map.of(),
            emulator.connectionString(),
            "--connection-string-file",
            "-",
            "teams",
            "exchange",
            "--token",
            "-",
            "--app-id",
            "2dee53b4-368b-45b4-ab52-8493fb117652",
            "--user-id",
            "2dee53b4-368b-45b4-ab52-8493fb117652");
    assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCode.USAGE);
    assertThat(run.err).contains("standard input");
  }

  private static CliRun emulatorRun(String... args) {
    List<String> all = new ArrayList<>(List.of("--ca-cert", cert.toString(), "--max-retries", "0"));
    all.addAll(List.of(args));
    return CliRun.run(
        Map.of("ACS_CONNECTION_STRING", emulator.connectionString()),
        "",
        all.toArray(new String[0]));
  }
}
