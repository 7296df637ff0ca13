package dev.acstoken.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.acstoken.core.IdentityId;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The JavaScript SDK ({@code @azure/communication-identity} 1.3.1, api-version 2023-10-01,
 * percent-encoded ids, host signed with its port) against the emulator, trusting its certificate
 * through {@code NODE_EXTRA_CA_CERTS}. Skipped when node or npm is missing or the install fails.
 */
class JsSdkTest {

  private static final Path DIR = Path.of("target", "js-sdk-test");

  @RegisterExtension static final AcsEmulatorExtension ACS = AcsEmulatorExtension.create();

  @BeforeAll
  static void installSdk() throws Exception {
    assumeTrue(
        run(List.of("node", "--version"), DIR.getParent(), 30) == 0, "node is not installed");
    Files.createDirectories(DIR);
    if (!Files.exists(DIR.resolve("node_modules/@azure/communication-identity/package.json"))) {
      Files.writeString(
          DIR.resolve("package.json"),
          "{\"name\":\"acs-emulator-js-test\",\"private\":true,\"version\":\"0.0.0\"}");
      int status =
          run(
              List.of(
                  "npm",
                  "install",
                  "--no-audit",
                  "--no-fund",
                  "--loglevel=error",
                  "@azure/communication-identity@1.3.1"),
              DIR,
              240);
      assumeTrue(status == 0, "npm install of @azure/communication-identity@1.3.1 failed");
    }
  }

  @Test
  void jsSdk_everyOperation_againstTheEmulator() throws Exception {
    Path pem = DIR.resolve("emulator.pem");
    Files.writeString(pem, ACS.emulator().certificatePem());
    Path script = DIR.resolve("quickstart.mjs");
    Files.writeString(
        script,
        String.join(
            "\n",
            "import { CommunicationIdentityClient } from '@azure/communication-identity';",
            "const client = new CommunicationIdentityClient(process.env.ACS_CONNECTION_STRING);",
            "const user = await client.createUser();",
            "const token = await client.getToken(user, ['chat', 'chat.join']);",
            "const both = await client.createUserAndToken(['voip'], { tokenExpiresInMinutes: 60 });",
            "await client.revokeTokens(user);",
            "await client.deleteUser(both.user);",
            "let error = null;",
            "try { await client.getToken(both.user, ['chat']); } catch (e) { error = e.statusCode; }",
            "console.log(JSON.stringify({ user: user.communicationUserId, token: token.token,",
            "  expiresOn: token.expiresOn.toISOString(), deleted: both.user.communicationUserId, error }));",
            ""));
    ProcessBuilder pb =
        new ProcessBuilder("node", script.getFileName().toString())
            .directory(DIR.toFile())
            .redirectErrorStream(true);
    pb.environment().put("NODE_EXTRA_CA_CERTS", pem.toAbsolutePath().toString());
    pb.environment().put("ACS_CONNECTION_STRING", ACS.emulator().connectionString());
    Process p = pb.start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(p.exitValue()).as(out).isZero();

    JsonNode r = new ObjectMapper().readTree(out.substring(out.lastIndexOf('\n') + 1));
    IdentityId user = IdentityId.of(r.get("user").asText());
    assertThat(ACS.emulator().identities()).containsExactly(user);
    assertThat(ACS.emulator().deletedIdentities())
        .containsExactly(IdentityId.of(r.get("deleted").asText()));
    assertThat(ACS.emulator().isValid(r.get("token").asText())).isFalse(); // revoked
    assertThat(r.get("error").asInt()).isEqualTo(404);
    assertThat(ACS.emulator().requests())
        .allSatisfy(req -> assertThat(req.apiVersion()).contains("2023-10-01"))
        .anySatisfy(req -> assertThat(req.pathAndQuery()).contains("8%3Aacs%3A"));
  }

  private static int run(List<String> command, Path dir, int seconds) throws InterruptedException {
    try {
      Process p =
          new ProcessBuilder(command)
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return -1;
      }
      return p.exitValue();
    } catch (IOException e) {
      return -1;
    }
  }
}
