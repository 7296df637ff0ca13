package dev.acstoken.cli;

import dev.acstoken.testkit.AcsEmulator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code acs-token emulator}: the ACS Identity emulator in the foreground until stopped. */
@Command(
    name = "emulator",
    mixinStandardHelpOptions = true,
    description = {
      "Run the ACS Identity emulator (HTTPS) in the foreground until Ctrl-C or SIGTERM.",
      "Prints one line: ACS emulator ready: <connection string>."
    })
final class EmulatorCommand implements Callable<Integer> {

  @ParentCommand AcsTokenCommand root;

  @Option(names = "--port", paramLabel = "<port>", description = "TCP port (default: a free one)")
  int port;

  @Option(
      names = "--access-key",
      paramLabel = "<base64>",
      description = "Access key clients sign with (default: random)")
  @Nullable String accessKey;

  @Option(
      names = "--cert-out",
      paramLabel = "<file.pem>",
      description =
          "Write the emulator's TLS certificate here, for clients to trust (--ca-cert, NODE_EXTRA_CA_CERTS)")
  @Nullable Path certOut;

  /** Released to stop a running emulator; for tests. */
  final CountDownLatch stop = new CountDownLatch(1);

  @Override
  public Integer call() throws Exception {
    if (port < 0 || port > 65535) {
      throw new UsageException("--port " + port + " is out of range; allowed: 0 to 65535");
    }
    AcsEmulator.Builder builder = AcsEmulator.builder().port(port);
    if (accessKey != null) {
      builder.accessKey(accessKey);
    }
    try (AcsEmulator emulator = builder.start()) {
      if (certOut != null) {
        try {
          Files.writeString(certOut, emulator.certificatePem(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
          throw new ConfigurationException(
              "--cert-out " + certOut + " cannot be written: " + e.getMessage());
        }
      }
      Thread hook = new Thread(stop::countDown, "acs-emulator-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      if (root.json()) {
        root.out.println(
            Json.object()
                .put("connectionString", emulator.connectionString())
                .put("endpoint", emulator.endpoint())
                .put("certificate", certOut == null ? null : certOut.toString()));
      } else {
        root.out.println("ACS emulator ready: " + emulator.connectionString());
      }
      root.out.flush();
      stop.await();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // the JVM is already stopping: the hook ran
      }
    }
    return ExitCode.SUCCESS;
  }
}
