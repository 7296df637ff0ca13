package dev.acstoken.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Runs the README's first command as a user would, in a shell at the repository root, and checks
 * the quickstart's output. The Maven part of the command has already run (this test runs after
 * {@code package}); the test runs what follows it.
 */
class ReadmeQuickstartIT {

  static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  static String firstCodeBlock() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
    Matcher m = Pattern.compile("```[a-z]*\\n(.*?)```", Pattern.DOTALL).matcher(readme);
    assertThat(m.find()).as("README.md has a fenced code block").isTrue();
    return m.group(1).trim();
  }

  @Test
  void readmeFirstCommand_buildsTheCliAndRunsTheQuickstart() throws Exception {
    String command = firstCodeBlock();
    assertThat(command).startsWith("./mvnw ").contains(" && ");
    String build = command.substring(0, command.lastIndexOf(" && "));
    assertThat(build).contains("acs-token-cli");
    String run = command.substring(command.lastIndexOf(" && ") + 4);

    ProcessBuilder pb =
        new ProcessBuilder("bash", "-c", run).directory(ROOT.toFile()).redirectErrorStream(true);
    pb.environment().remove("ACS_CONNECTION_STRING");
    Process p = pb.start();
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("the quickstart finished").isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(out).isZero();

    List<String> lines = out.lines().toList();
    assertThat(lines.get(0)).isEqualTo("Azure Communication Services - Access Tokens Quickstart");
    assertThat(out)
        .contains("Running against the embedded ACS emulator at https://127.0.0.1:")
        .containsPattern("Created an identity: 8:acs:[0-9a-f-]+_[0-9a-f-]+ for app user")
        .contains("Asked the directory again: the same identity, read from the store")
        .containsPattern(
            "Issued an access token with 'voip' scope that expires at \\S+ for identity with ID: 8:acs:")
        .containsPattern("eyJ[A-Za-z0-9]{5}…\\(\\d+ chars\\)")
        .contains(
            "served from the cache, no service call (token requests sent to the service so far: 1)")
        .contains("kept serving the still-valid token at once and refreshed it in the background")
        .contains("Refreshed before expiry")
        .contains("token requests sent to the service so far: 2)")
        .containsPattern("Successfully revoked the tokens of identity with ID: 8:acs:")
        .contains(
            "The revoked token is no longer served: the cache fetched a new one; the emulator now rejects the revoked one: true")
        .containsPattern("Deleted the identity with ID: 8:acs:\\S+ by forgetting app user")
        .doesNotContain("unexpected")
        .doesNotContain("accesskey=");
    // no whole token: a JWT has two dots between long base64url runs
    assertThat(out).doesNotContainPattern("eyJ[A-Za-z0-9_-]{20,}\\.[A-Za-z0-9_-]{20,}\\.");
  }
}
