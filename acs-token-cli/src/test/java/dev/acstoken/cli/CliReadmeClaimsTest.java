package dev.acstoken.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.acstoken.core.IdentityId;
import dev.acstoken.testkit.AcsEmulator;
import dev.acstoken.testkit.FakeEntraToken;
import dev.acstoken.testkit.MutableClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Claims of the README's command-line section that no other test holds the tool to: a Teams
 * exchange with the Entra token from standard input, the exit code of a 404, one error line, and
 * {@code -o json} on the commands that change something.
 */
class CliReadmeClaimsTest {

  private static final MutableClock CLOCK = MutableClock.at(Instant.parse("2030-01-01T00:00:00Z"));
  private static final String APP = "9e2d2a52-0c6a-4c2b-9a43-3a6d4a0f5b21";
  private static final String USER = "1f3b5d7e-9a2c-4e6f-8b1d-3c5e7a9b0d2f";

  private static AcsEmulator emulator;
  private static Path cert;

  @BeforeAll
  static void start(@TempDir Path dir) throws IOException {
    emulator = AcsEmulator.builder().clock(CLOCK).start();
    cert = dir.resolve("emulator.pem");
    Files.writeString(cert, emulator.certificatePem(), StandardCharsets.US_ASCII);
  }

  @BeforeEach
  void reset() {
    emulator.reset();
  }

  @AfterAll
  static void stop() {
    emulator.close();
  }

  private static CliRun acs(String stdin, String... args) {
    List<String> all = new ArrayList<>(List.of("--ca-cert", cert.toString(), "--max-retries", "0"));
    all.addAll(List.of(args));
    return CliRun.run(
        Map.of("ACS_CONNECTION_STRING", emulator.connectionString()),
        stdin,
        all.toArray(new String[0]));
  }

  private static String newIdentity() {
    CliRun run = acs("", "identity", "create");
    assertThat(run.exitCode).as(run.toString()).isZero();
    return run.out.trim();
  }

  @Test
  void teamsExchange_entraTokenFromStandardInput_givesAnAcsTokenThatExpiresWithIt() {
    Instant entraExpiry = CLOCK.instant().plus(Duration.ofMinutes(50));
    String entra = FakeEntraToken.create(APP, USER, entraExpiry);

    CliRun run =
        acs(entra + "\n", "teams", "exchange", "--token", "-", "--app-id", APP, "--user-id", USER);

    assertThat(run.exitCode).as(run.toString()).isZero();
    assertThat(run.out)
        .contains("Exchanged the Teams token; the ACS token expires at " + entraExpiry)
        .contains("(--show-token prints it whole)")
        .doesNotContain(entra);
    assertThat(emulator.tokens(IdentityId.of("8:orgid:" + USER))).hasSize(1);
  }

  @Test
  void tokenIssue_deletedIdentity_exitsWithServiceErrorOnOneLine() {
    String id = newIdentity();
    assertThat(acs("", "identity", "delete", id).exitCode).isZero();

    CliRun run = acs("", "token", "issue", id, "--scopes", "voip");

    // README: 4 = the service answered with an error (400, 404, 429, 5xx)
    assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCode.SERVICE);
    assertThat(run.out).isEmpty();
    assertThat(run.err).startsWith("error: ").contains("HTTP 404");
    assertThat(run.err.strip().lines()).hasSize(1);
  }

  @Test
  void tokenIssue_deletedIdentity_json_isAnErrorObjectOnStandardOutput() {
    String id = newIdentity();
    assertThat(acs("", "identity", "delete", id).exitCode).isZero();

    CliRun run = acs("", "-o", "json", "token", "issue", id, "--scopes", "voip");

    assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCode.SERVICE);
    assertThat(run.out.strip())
        .startsWith("{\"error\":{")
        .contains("\"code\":\"IdentityNotFound\"", "\"status\":404", "\"exitCode\":4")
        .endsWith("}}");
  }

  @Test
  void json_revokeDeleteAndTeamsExchange_eachPrintOneJsonObject() {
    String id = newIdentity();
    String entra = FakeEntraToken.create(APP, USER, CLOCK.instant().plus(Duration.ofHours(1)));

    CliRun revoke = acs("", "-o", "json", "token", "revoke", id);
    CliRun delete = acs("", "-o", "json", "identity", "delete", id);
    CliRun exchange =
        acs(
            entra,
            "-o",
            "json",
            "teams",
            "exchange",
            "--token",
            "-",
            "--app-id",
            APP,
            "--user-id",
            USER);

    for (CliRun run : List.of(revoke, delete, exchange)) {
      assertThat(run.exitCode).as(run.toString()).isZero();
      assertThat(run.out.strip()).as(run.toString()).startsWith("{").endsWith("}");
      assertThat(run.out.strip().lines()).hasSize(1);
    }
    assertThat(revoke.out).contains("\"identity\":\"" + id + "\"", "\"revoked\":true");
    assertThat(delete.out).contains("\"identity\":\"" + id + "\"", "\"deleted\":true");
    assertThat(exchange.out)
        .contains("\"expiresOn\":")
        .containsPattern("\"token\":\"[^\"]*chars\\)\"");
  }
}
