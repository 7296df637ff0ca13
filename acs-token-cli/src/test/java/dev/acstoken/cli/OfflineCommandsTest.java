package dev.acstoken.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Commands and errors that need no service: usage, configuration, token inspection. */
class OfflineCommandsTest {

  static final String USER =
      "8:acs:2dee53b4-368b-45b4-ab52-8493fb117652_00000005-14a2-493b-8a72-5a3a0d000081";

  static String jwt(long iat, long exp) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String header = "{\"alg\":\"RS256\",\"kid\":\"k1\",\"typ\":\"JWT\"}";
    String payload =
        "{\"skypeid\":\"acs:2dee53b4-368b-45b4-ab52-8493fb117652_00000005-14a2-493b-8a72-5a3a0d000081\","
            + "\"scp\":1792,\"csi\":\""
            + iat
            + "\",\"exp\":"
            + exp
            + ",\"acsScope\":\"chat,voip\",\"resourceId\":\"2dee53b4-368b-45b4-ab52-8493fb117652\",\"iat\":"
            + iat
            + "}";
    return b64.encodeToString(header.getBytes(StandardCharsets.UTF_8))
        + "."
        + b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8))
        + ".c2lnbmF0dXJlLXNlY3JldC1wYXJ0";
  }

  @Test
  void help_printsCommandsAndExitCodes() {
    CliRun run = CliRun.run("--help");
    assertThat(run.exitCode).isZero();
    assertThat(run.out)
        .contains("identity", "token", "teams", "Exit codes", "ACS_CONNECTION_STRING");
  }

  @Test
  void subcommandHelp_everywhere_exitsZero() {
    for (String[] args :
        new String[][] {
          {"identity", "--help"},
          {"identity", "create", "--help"},
          {"identity", "delete", "--help"},
          {"token", "issue", "--help"},
          {"token", "revoke", "--help"},
          {"token", "inspect", "--help"},
          {"teams", "exchange", "--help"}
        }) {
      CliRun run = CliRun.run(args);
      assertThat(run.exitCode).as(String.join(" ", args)).isZero();
      assertThat(run.out).as(String.join(" ", args)).contains("Usage:");
    }
  }

  @Test
  void unknownFlag_exitsWithUsageError() {
    CliRun run = CliRun.run("identity", "create", "--frobnicate");
    assertThat(run.exitCode).isEqualTo(ExitCode.USAGE);
    assertThat(run.err).contains("--frobnicate").contains("--help");
  }

  @Test
  void unknownFlag_jsonOutput_printsJsonError() {
    CliRun run = CliRun.run("--output", "json", "identity", "create", "--frobnicate");
    assertThat(run.exitCode).isEqualTo(ExitCode.USAGE);
    assertThat(run.out).startsWith("{\"error\":{").contains("\"exitCode\":2");
  }

  @Test
  void malformedIdentity_exitsWithUsageErrorBeforeAnyNetworkCall() {
    CliRun run = CliRun.run("token", "issue", "8:acs:not-a-guid", "--scopes", "voip");
    assertThat(run.exitCode).isEqualTo(ExitCode.USAGE);
    assertThat(run.err).contains("not a valid ACS user id").contains("8:acs:<resource guid>");
  }

  @Test
  void unknownScope_exitsWithUsageErrorNamingAllowedScopes() {
    CliRun run = CliRun.run("token", "issue", USER, "--scopes", "voip,video");
    assertThat(run.exitCode).isEqualTo(ExitCode.USAGE);
    assertThat(run.err).contains("video").contains("allowed: chat, voip");
  }

  @Test
  void lifetimeOutOfRange_exitsWithUsageError() {
    CliRun run = CliRun.run("token", "issue", USER, "--scopes", "voip", "--expires-in", "25h");
    assertThat(run.exitCode).isEqualTo(ExitCode.USAGE);
    assertThat(run.err).contains("1500 minutes").contains("60 to 1440");
  }

  @Test
  void malformedLifetime_exitsWithUsageError() {
    CliRun run = CliRun.run("token", "issue", USER, "--scopes", "voip", "--expires-in", "soon");
    assertThat(run.exitCode).isEqualTo(ExitCode.USAGE);
    assertThat(run.err).contains("--expires-in").contains("'soon' is not a duration");
  }

  @Test
  void noConnectionString_exitsWithConfigurationErrorNamingWhatIsMissing() {
    CliRun run = CliRun.run("identity", "create");
    assertThat(run.exitCode).isEqualTo(ExitCode.CONFIGURATION);
    assertThat(run.err).contains("--connection-string").contains("ACS_CONNECTION_STRING");
  }

  @Test
  void malformedConnectionString_exitsWithConfigurationErrorWithoutTheKey() {
    String key = "c2VjcmV0LWtleS12YWx1ZQ";
    CliRun run =
        CliRun.run(
            Map.of("ACS_CONNECTION_STRING", "endpoint=http://x.example/;accesskey=" + key),
            "",
            "identity",
            "create");
    assertThat(run.exitCode).isEqualTo(ExitCode.CONFIGURATION);
    assertThat(run.err).contains("ACS_CONNECTION_STRING").contains("https");
    assertThat(run.all()).doesNotContain(key);
  }

  @Test
  void keyNotBase64_exitsWithConfigurationErrorWithoutTheKey() {
    String key = "not*base64*secret";
    CliRun run =
        CliRun.run(
            "--connection-string",
            "endpoint=https://x.example/;accesskey=" + key,
            "identity",
            "create");
    assertThat(run.exitCode).isEqualTo(ExitCode.CONFIGURATION);
    assertThat(run.err).contains("base64");
    assertThat(run.all()).doesNotContain(key);
  }

  @Test
  void unreachableEndpoint_exitsWithNetworkError() {
    CliRun run =
        CliRun.run(
            "--connection-string",
            "endpoint=https://127.0.0.1:1/;accesskey=cHc9PQ==",
            "--timeout",
            "2s",
            "--max-retries",
            "0",
            "identity",
            "create");
    assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCode.NETWORK);
    assertThat(run.err).contains("127.0.0.1:1");
  }

  @Test
  void inspect_fromArgument_printsClaimsButNotTheSignature() {
    long now = Instant.now().getEpochSecond();
    String token = jwt(now, now + 3600);
    CliRun run = CliRun.run("token", "inspect", token);
    assertThat(run.exitCode).as(run.toString()).isZero();
    assertThat(run.out)
        .contains(USER)
        .contains("chat, voip")
        .contains(Instant.ofEpochSecond(now + 3600).toString())
        .contains("Time left:")
        .doesNotContain("c2lnbmF0dXJlLXNlY3JldC1wYXJ0");
  }

  @Test
  void inspect_fromStdinAsJson_reportsExpired() {
    long now = Instant.now().getEpochSecond();
    CliRun run =
        CliRun.run(
            Map.of(), jwt(now - 7200, now - 3600) + "\n", "token", "inspect", "-", "-o", "json");
    assertThat(run.exitCode).as(run.toString()).isZero();
    assertThat(run.out)
        .startsWith("{\"identity\":\"" + USER + "\"")
        .contains("\"scopes\":[\"chat\",\"voip\"]")
        .contains("\"expired\":true")
        .contains("\"secondsLeft\":0");
  }

  @Test
  void inspect_malformedToken_exitsWithUsageErrorWithoutEchoingIt() {
    String notAJwt = "abc.def";
    CliRun run = CliRun.run("token", "inspect", notAJwt);
    assertThat(run.exitCode).isEqualTo(ExitCode.USAGE);
    assertThat(run.err).contains("3 dot-separated parts").doesNotContain(notAJwt);
  }

  @Test
  void inspect_emptyStdin_exitsWithUsageError() {
    CliRun run = CliRun.run(Map.of(), "", "token", "inspect");
    assertThat(run.exitCode).isEqualTo(ExitCode.USAGE);
    assertThat(run.err).contains("standard input was empty");
  }

  @Test
  void teamsExchange_malformedAppId_exitsWithUsageError() {
    CliRun run =
        CliRun.run(
            Map.of(),
            "entra-token",
            "teams",
            "exchange",
            "--token",
            "-",
            "--app-id",
            "nope",
            "--user-id",
            "2dee53b4-368b-45b4-ab52-8493fb117652");
    assertThat(run.exitCode).isEqualTo(ExitCode.USAGE);
    assertThat(run.err).contains("appId").contains("GUID").doesNotContain("entra-token");
  }

  @Test
  void version_printsTheVersionOfTheBuild() {
    CliRun run = CliRun.run("--version");
    assertThat(run.exitCode).isZero();
    // version.properties, filtered by the build with the project's version
    assertThat(run.out.trim()).matches("acs-token \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
  }
}
