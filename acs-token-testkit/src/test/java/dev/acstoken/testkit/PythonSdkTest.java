package dev.acstoken.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.acstoken.core.IdentityId;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official Python SDK (azure-communication-identity 1.3.2, Debian's {@code python3-azure}) runs
 * the quickstart against the emulator, sync and aio clients, trusting it with {@code
 * connection_verify=<pem>}. Skipped when {@code /usr/bin/python3} cannot import the SDK.
 */
class PythonSdkTest {

  private static final Path PYTHON = Path.of("/usr/bin/python3");

  @TempDir Path dir;

  /**
   * Skips without the official Python SDK, or fails with {@code ACS_TOKEN_REQUIRE_PYTHON_SDK=true}
   * (as {@code .ci/run} sets, so that CI never passes by skipping this).
   */
  @BeforeAll
  static void sdkImportable() throws Exception {
    boolean importable = false;
    if (Files.isExecutable(PYTHON)) {
      Process p =
          new ProcessBuilder(PYTHON.toString(), "-c", "import azure.communication.identity")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      boolean done = p.waitFor(60, TimeUnit.SECONDS);
      if (!done) {
        p.destroyForcibly();
      }
      importable = done && p.exitValue() == 0;
    }
    String message =
        PYTHON + " cannot import azure.communication.identity (apt-get install python3-azure)";
    if (!importable && "true".equals(System.getenv("ACS_TOKEN_REQUIRE_PYTHON_SDK"))) {
      throw new IllegalStateException(message);
    }
    Assumptions.assumeTrue(importable, message);
  }

  @Test
  void quickstart_pythonSdk_runsAgainstTheEmulator() throws Exception {
    try (AcsEmulator acs = AcsEmulator.builder().start()) {
      Path pem = dir.resolve("emulator.pem");
      Files.writeString(pem, acs.certificatePem(), StandardCharsets.US_ASCII);
      Path script = dir.resolve("quickstart.py");
      try (InputStream in = PythonSdkTest.class.getResourceAsStream("/python/quickstart.py")) {
        Files.copy(in, script);
      }
      Path out = dir.resolve("out.json");
      Path err = dir.resolve("err.txt");
      ProcessBuilder pb =
          new ProcessBuilder(PYTHON.toString(), script.toString())
              .redirectOutput(out.toFile())
              .redirectError(err.toFile());
      pb.environment().put("ACS_CONNECTION_STRING", acs.connectionString());
      pb.environment().put("EMULATOR_PEM", pem.toString());
      Process p = pb.start();
      boolean done = p.waitFor(90, TimeUnit.SECONDS);
      if (!done) {
        p.destroyForcibly();
      }
      assertThat(done).as("the Python quickstart finished within 90 s").isTrue();
      assertThat(p.exitValue()).as(Files.readString(err)).isZero();
      JsonNode r = new ObjectMapper().readTree(Files.readString(out));

      IdentityId user = IdentityId.of(r.get("user").asText());
      assertThat(user.value()).startsWith("8:acs:" + acs.resourceId() + "_");
      OffsetDateTime voip = OffsetDateTime.parse(r.get("voipExpiresOn").asText());
      OffsetDateTime shortLived = OffsetDateTime.parse(r.get("shortExpiresOn").asText());
      assertThat(voip.toInstant()).isAfter(shortLived.toInstant().plusSeconds(22 * 3600));
      assertThat(r.get("pairHasToken").asBoolean()).isTrue();
      assertThat(r.get("sameSecondTokensDiffer").asBoolean()).isTrue();
      assertThat(acs.revocationCount(user)).isEqualTo(1);
      assertThat(acs.deletedIdentities()).contains(user);
      assertThat(acs.identities()).contains(IdentityId.of(r.get("pairUser").asText()));

      assertThat(r.at("/afterDelete/status").asInt()).isEqualTo(404);
      assertThat(r.at("/emptyScopes/status").asInt()).isEqualTo(400);
      assertThat(r.at("/emptyScopes/message").asText())
          .isEqualTo("Invalid scopes - Scopes field is required.");
      assertThat(r.at("/emptyScopes/target").asText()).isEqualTo("scopes");
      assertThat(r.at("/teamsEmptyToken/status").asInt()).isEqualTo(401);
      assertThat(r.at("/teamsEmptyToken/code").asText()).isEqualTo("InvalidAccessToken");
      assertThat(r.at("/outOfRangeLifetime/target").asText()).isEqualTo("ExpiresInMinutes");
      if (!r.get("aioUser").isNull()) {
        assertThat(r.get("aioUser").asText()).startsWith("8:acs:");
        assertThat(r.get("aioHasToken").asBoolean()).isTrue();
      }
      List<String> versions =
          acs.requests().stream().map(q -> q.apiVersion().orElse("")).distinct().toList();
      assertThat(versions).containsExactly("2022-10-01");
    }
  }
}
