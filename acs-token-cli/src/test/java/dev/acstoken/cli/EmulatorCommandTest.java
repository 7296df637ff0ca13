package dev.acstoken.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.acstoken.core.IdentityId;
import dev.acstoken.core.azure.AcsIdentityClient;
import dev.acstoken.testkit.AcsEmulator;
import dev.acstoken.testkit.EmulatorTrust;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code acs-token emulator}: the standalone jar's flags, and only the flags that apply. */
class EmulatorCommandTest {

  private static final String RESOURCE = "5b4d1c9e-2c1f-4f6e-9d43-0a9e2f1c7b11";
  private static final String ADMIN = "cli-test-admin-token-0123";

  @TempDir Path dir;

  @Test
  void emulator_withStandaloneFlags_servesAndMovesItsClock() throws Exception {
    CountDownLatch ready = new CountDownLatch(1);
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream out =
        new PrintStream(
            new java.io.OutputStream() {
              @Override
              public synchronized void write(int b) {
                captured.write(b);
                if (b == '\n') {
                  ready.countDown();
                }
              }
            },
            true,
            StandardCharsets.UTF_8);
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    AcsTokenCommand root =
        new AcsTokenCommand(
            new java.io.ByteArrayInputStream(new byte[0]),
            out,
            new PrintStream(err, true, StandardCharsets.UTF_8),
            new HashMap<>());
    CommandLine cl = Main.commandLine(root, out, root.err);
    EmulatorCommand command = cl.getSubcommands().get("emulator").getCommand();
    Path pem = dir.resolve("emulator.pem");
    CompletableFuture<Integer> exit =
        CompletableFuture.supplyAsync(
            () ->
                cl.execute(
                    "emulator",
                    "--mutable-clock",
                    "--resource-id",
                    RESOURCE,
                    "--access-key",
                    "Y2xpIHRlc3Qga2V5",
                    "--admin-token",
                    ADMIN,
                    "--cert-out",
                    pem.toString()));
    try {
      assertThat(ready.await(60, TimeUnit.SECONDS)).as(err.toString()).isTrue();
      String line = captured.toString(StandardCharsets.UTF_8).trim();
      assertThat(line).startsWith("ACS emulator ready: endpoint=https://127.0.0.1:");
      String connectionString = line.substring("ACS emulator ready: ".length());
      assertThat(connectionString).endsWith(";accesskey=Y2xpIHRlc3Qga2V5");
      EmulatorTrust trust = EmulatorTrust.fromPemFile(pem);

      AcsIdentityClient client =
          AcsIdentityClient.builder()
              .connectionString(connectionString)
              .httpClient(trust.httpClient())
              .retryOptions(AcsEmulator.zeroDelayRetryOptions())
              .build();
      IdentityId user = client.createIdentity();
      String endpoint = connectionString.substring("endpoint=".length()).split(";")[0];
      HttpResponse<String> advanced =
          HttpClient.newBuilder()
              .sslContext(trust.sslContext())
              .build()
              .send(
                  HttpRequest.newBuilder(
                          URI.create(endpoint + "_emulator/clock/advance?seconds=60"))
                      .header("X-Emulator-Admin-Token", ADMIN)
                      .POST(HttpRequest.BodyPublishers.noBody())
                      .build(),
                  HttpResponse.BodyHandlers.ofString());

      assertThat(user.value()).startsWith("8:acs:" + RESOURCE + "_");
      assertThat(advanced.statusCode()).as(advanced.body()).isEqualTo(200);
    } finally {
      command.stop.countDown();
    }
    assertThat(exit.get(30, TimeUnit.SECONDS)).isEqualTo(ExitCode.SUCCESS);
  }

  @Test
  void emulatorHelp_listsItsFlagsAndNoClientOption() {
    CliRun run = CliRun.run("emulator", "--help");

    assertThat(run.out)
        .contains("--mutable-clock", "--resource-id", "--access-key", "--admin-token", "--port")
        .doesNotContain("--connection-string=", "--ca-cert=", "--timeout=", "--max-retries=");
  }

  @Test
  void emulator_withClientOption_isUsageError() {
    CliRun run =
        CliRun.run("emulator", "--connection-string", "endpoint=https://x/;accesskey=eA==");

    assertThat(run.exitCode).isEqualTo(ExitCode.USAGE);
    assertThat(run.err).contains("--connection-string");
  }

  @Test
  void emulator_badResourceId_isUsageErrorNamingTheOption() {
    CliRun run = CliRun.run("emulator", "--resource-id", "not-a-guid");

    assertThat(run.exitCode).isEqualTo(ExitCode.USAGE);
    assertThat(run.err).contains("--resource-id").contains("not-a-guid");
  }

  @Test
  @Timeout(60) // on the old code the emulator started and ran until stopped
  void emulator_withConnectionStringFile_isUsageErrorAndNotInItsHelp() {
    CliRun run = CliRun.run("emulator", "--connection-string-file", "acs.txt");
    CliRun help = CliRun.run("emulator", "--help");

    // a client option: the emulator must not take it silently
    assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCode.USAGE);
    assertThat(run.err).contains("--connection-string-file");
    assertThat(help.out).doesNotContain("--connection-string-file");
  }
}
