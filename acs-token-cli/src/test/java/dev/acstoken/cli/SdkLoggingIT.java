package dev.acstoken.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.acstoken.testkit.AcsEmulator;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runnable jar with the Azure SDK's own logging switched on: its lines go to standard error, so
 * standard output stays the command's result (JSON here) and nothing secret is logged.
 */
class SdkLoggingIT {

  @Test
  void azureLogLevelVerbose_jsonOutput_stdoutHoldsOnlyTheResult(@TempDir Path dir)
      throws Exception {
    try (AcsEmulator emulator = AcsEmulator.builder().start()) {
      Path cert = dir.resolve("emulator.pem");
      Files.writeString(cert, emulator.certificatePem(), StandardCharsets.US_ASCII);
      Path in = dir.resolve("cs.txt");
      Files.writeString(in, emulator.connectionString(), StandardCharsets.UTF_8);
      Path out = dir.resolve("out.txt");
      Path err = dir.resolve("err.txt");
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      ProcessBuilder pb =
          new ProcessBuilder(
                  java,
                  "-jar",
                  new File("target/acs-token.jar").getAbsolutePath(),
                  "-o",
                  "json",
                  "--connection-string-file",
                  "-",
                  "--ca-cert",
                  cert.toString(),
                  "identity",
                  "create")
              .redirectInput(in.toFile())
              .redirectOutput(out.toFile())
              .redirectError(err.toFile());
      pb.environment().put("AZURE_LOG_LEVEL", "verbose");
      pb.environment().remove("ACS_CONNECTION_STRING");
      Process p = pb.start();
      assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();

      String stdout = Files.readString(out, StandardCharsets.UTF_8);
      String stderr = Files.readString(err, StandardCharsets.UTF_8);
      assertThat(p.exitValue()).as(stdout + stderr).isZero();
      assertThat(stdout).matches("\\{\"identity\":\"8:acs:[0-9a-f_-]+\"}\\R");
      assertThat(stderr).as("the SDK logged, on standard error").contains("com.azure");
      assertThat(stdout + stderr)
          .doesNotContain(emulator.accessKey())
          .doesNotContain(emulator.connectionString());
    }
  }
}
