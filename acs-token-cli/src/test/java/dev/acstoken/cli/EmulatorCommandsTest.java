package dev.acstoken.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.acstoken.core.IdentityId;
import dev.acstoken.testkit.AcsEmulator;
import dev.acstoken.testkit.Fault;
import dev.acstoken.testkit.IssuedToken;
import dev.acstoken.testkit.Operation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every command against the emulator, through the real Azure SDK, over HTTPS. */
class EmulatorCommandsTest {

  static AcsEmulator emulator;
  static Path cert;
  static final List<String> shownOnPurpose = new ArrayList<>();
  static final List<String> outputs = new ArrayList<>();

  @BeforeAll
  static void start(@TempDir Path dir) throws IOException {
    emulator = AcsEmulator.builder().start();
    cert = dir.resolve("emulator.pem");
    Files.writeString(cert, emulator.certificatePem(), StandardCharsets.US_ASCII);
  }

  @AfterAll
  static void noSecretInAnyOutput() {
    try {
      List<String> tokens = new ArrayList<>();
      for (IdentityId id : allIdentities()) {
        for (IssuedToken t : emulator.tokens(id)) {
          tokens.add(t.value());
        }
      }
      assertThat(tokens).as("the tests issued tokens").isNotEmpty();
      for (String out : outputs) {
        if (shownOnPurpose.contains(out)) {
          continue;
        }
        for (String token : tokens) {
          assertThat(out).doesNotContain(token);
          assertThat(out).doesNotContain(token.substring(token.indexOf('.') + 1));
        }
        assertThat(out)
            .doesNotContain(emulator.accessKey())
            .doesNotContain(emulator.connectionString());
      }
    } finally {
      emulator.close();
    }
  }

  static List<IdentityId> allIdentities() {
    List<IdentityId> ids = new ArrayList<>(emulator.identities());
    ids.addAll(emulator.deletedIdentities());
    return ids;
  }

  @BeforeEach
  void clearFaults() {
    emulator.clearFaults();
  }

  static CliRun acs(String... args) {
    return acsWithInput("", args);
  }

  static CliRun acsWithInput(String stdin, String... args) {
    List<String> all = new ArrayList<>(List.of("--ca-cert", cert.toString(), "--max-retries", "0"));
    all.addAll(List.of(args));
    CliRun run =
        CliRun.run(
            Map.of("ACS_CONNECTION_STRING", emulator.connectionString()),
            stdin,
            all.toArray(new String[0]));
    outputs.add(run.out);
    outputs.add(run.err);
    return run;
  }

  static String newIdentity() {
    CliRun run = acs("identity", "create");
    assertThat(run.exitCode).as(run.toString()).isZero();
    return run.out.trim();
  }

  @Test
  void identityCreate_printsTheNewIdOnly() {
    String id = newIdentity();
    assertThat(IdentityId.of(id).isAcsUser()).isTrue();
    assertThat(emulator.identities()).contains(IdentityId.of(id));
  }

  @Test
  void identityCreate_json() {
    CliRun run = acs("-o", "json", "identity", "create");
    assertThat(run.exitCode).as(run.toString()).isZero();
    assertThat(run.out).matches("\\{\"identity\":\"8:acs:[0-9a-f-]+_[0-9a-f-]+\"\\}\\s*");
  }

  @Test
  void tokenIssue_printsExpiryAndRedactedToken() {
    String id = newIdentity();
    CliRun run = acs("token", "issue", id, "--scopes", "chat,voip", "--expires-in", "1h");
    assertThat(run.exitCode).as(run.toString()).isZero();
    assertThat(run.out)
        .contains("Issued an access token with 'chat,voip' scope that expires at ")
        .contains("for identity with ID: " + id)
        .contains("chars)");
    IssuedToken issued = emulator.tokens(IdentityId.of(id)).get(0);
    assertThat(Duration.between(issued.issuedAt(), issued.expiresAt()))
        .isEqualTo(Duration.ofHours(1));
    assertThat(run.out).doesNotContain(issued.value());
  }

  @Test
  void tokenIssue_showToken_printsTheWholeTokenAloneOnStdout() {
    String id = newIdentity();
    CliRun run = acs("token", "issue", id, "--scopes", "voip", "--show-token");
    shownOnPurpose.add(run.out);
    assertThat(run.exitCode).as(run.toString()).isZero();
    assertThat(emulator.isValid(run.out.trim())).isTrue();
    assertThat(run.out.trim()).doesNotContain("\n");
    assertThat(run.err).contains("Issued an access token with 'voip' scope");
  }

  @Test
  void tokenIssue_json_thenInspect_roundTrips() {
    String id = newIdentity();
    CliRun issued = acs("-o", "json", "token", "issue", id, "--scopes", "chat", "--show-token");
    shownOnPurpose.add(issued.out);
    assertThat(issued.exitCode).as(issued.toString()).isZero();
    String token = issued.out.replaceAll("(?s).*\"token\":\"([^\"]+)\".*", "$1");
    CliRun inspect = acsWithInput(token, "-o", "json", "token", "inspect");
    assertThat(inspect.exitCode).as(inspect.toString()).isZero();
    assertThat(inspect.out)
        .contains("\"identity\":\"" + id + "\"")
        .contains("\"scopes\":[\"chat\"]")
        .contains("\"expired\":false");
  }

  @Test
  void tokenRevoke_revokesEveryTokenOfTheIdentity() {
    String id = newIdentity();
    acs("token", "issue", id, "--scopes", "voip");
    String token = emulator.tokens(IdentityId.of(id)).get(0).value();
    CliRun run = acs("token", "revoke", id);
    assertThat(run.exitCode).as(run.toString()).isZero();
    assertThat(run.out).contains("Successfully revoked the tokens of identity with ID: " + id);
    assertThat(emulator.isValid(token)).isFalse();
  }

  @Test
  void identityDelete_deletes_andASecondDeleteIsAServiceError() {
    String id = newIdentity();
    CliRun run = acs("identity", "delete", id);
    assertThat(run.exitCode).as(run.toString()).isZero();
    assertThat(run.out).contains("Deleted the identity with ID: " + id);
    assertThat(emulator.deletedIdentities()).contains(IdentityId.of(id));
    CliRun issue = acs("token", "issue", id, "--scopes", "voip");
    assertThat(issue.exitCode).as(issue.toString()).isIn(ExitCode.SERVICE, ExitCode.CONFIGURATION);
    assertThat(issue.err).startsWith("error: ").contains("HTTP 4");
  }

  @Test
  void wrongAccessKey_isAnAuthenticationError() {
    CliRun run =
        CliRun.run(
            "--ca-cert",
            cert.toString(),
            "--max-retries",
            "0",
            "--connection-string",
            "endpoint=" + emulator.endpoint() + ";accesskey=d3Jvbmcta2V5LXdyb25nLWtleQ==",
            "identity",
            "create");
    outputs.add(run.all());
    assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCode.CONFIGURATION);
    assertThat(run.err).contains("HTTP 401");
  }

  @Test
  void identityOfAnotherResource_isAnAuthenticationErrorWithTheServiceCode() {
    CliRun run =
        acs(
            "token",
            "issue",
            "8:acs:00000000-1111-2222-3333-444444444444_00000005-14a2-493b-8a72-5a3a0d000081",
            "--scopes",
            "voip");
    assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCode.CONFIGURATION);
    assertThat(run.err).contains("IdentityNotOwned");
  }

  @Test
  void throttled_isAServiceErrorWithCodeInJson() {
    String id = newIdentity();
    emulator.inject(Fault.throttled(Duration.ofSeconds(7)).on(Operation.ISSUE_TOKEN).always());
    CliRun run = acs("-o", "json", "token", "issue", id, "--scopes", "voip");
    assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCode.SERVICE);
    assertThat(run.out)
        .startsWith("{\"error\":{")
        .contains("\"status\":429")
        .contains("\"exitCode\":4");
  }

  @Test
  void htmlOutage_isAServiceError() {
    emulator.inject(Fault.htmlOutage().on(Operation.CREATE_IDENTITY).always());
    CliRun run = acs("identity", "create");
    assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCode.SERVICE);
    assertThat(run.err).contains("HTTP 503");
  }

  @Test
  void slowService_timesOutAsANetworkError() {
    emulator.inject(Fault.latency(Duration.ofSeconds(5)).on(Operation.CREATE_IDENTITY).always());
    CliRun run = acs("--timeout", "1s", "identity", "create");
    assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCode.NETWORK);
    assertThat(run.err).contains("within 1s").doesNotContain("PT1S");
  }

  @Test
  void connectionReset_isANetworkError() {
    emulator.inject(Fault.connectionReset().on(Operation.CREATE_IDENTITY).always());
    CliRun run = acs("identity", "create");
    assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCode.NETWORK);
  }

  @Test
  void verbose_addsTheStackTrace() {
    emulator.inject(Fault.htmlOutage().on(Operation.CREATE_IDENTITY).always());
    CliRun quiet = acs("identity", "create");
    CliRun verbose = acs("--verbose", "identity", "create");
    assertThat(quiet.err).doesNotContain("\tat ");
    assertThat(verbose.err).contains("\tat ");
  }

  @Test
  void teamsExchange_invalidEntraToken_isAnAuthenticationError() {
    CliRun run =
        acsWithInput(
            "not.a-valid.entra-token",
            "teams",
            "exchange",
            "--token",
            "-",
            "--app-id",
            "2dee53b4-368b-45b4-ab52-8493fb117652",
            "--user-id",
            "3dee53b4-368b-45b4-ab52-8493fb117652");
    assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCode.CONFIGURATION);
    assertThat(run.err).contains("InvalidAccessToken");
  }

  @Test
  void maxRetriesOutOfRange_isAUsageError() {
    CliRun run = CliRun.run("--max-retries", "11", "identity", "create");
    assertThat(run.exitCode).isEqualTo(ExitCode.USAGE);
    assertThat(run.err).contains("0 to 10");
  }
}
