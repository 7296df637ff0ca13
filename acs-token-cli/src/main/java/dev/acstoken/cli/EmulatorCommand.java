package dev.acstoken.cli;

import dev.acstoken.testkit.AcsEmulator;
import dev.acstoken.testkit.MutableClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code acs-token emulator}: the ACS Identity emulator in the foreground until stopped. */
@Command(
    name = "emulator",
    mixinStandardHelpOptions = true,
    description = {
      "Run the ACS Identity emulator (HTTPS, 127.0.0.1) in the foreground until Ctrl-C or SIGTERM.",
      "Prints one line: ACS emulator ready: <connection string>; the admin token of its",
      "/_emulator/ routes (header X-Emulator-Admin-Token) goes to standard error."
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

  @Option(
      names = "--resource-id",
      paramLabel = "<guid>",
      description = "GUID of the emulated resource, in every identity id (default: random)")
  @Nullable String resourceId;

  @Option(
      names = "--mutable-clock",
      description =
          "Run on a clock that stands still until POST /_emulator/clock/advance?seconds=N moves it")
  boolean mutableClock;

  @Option(
      names = "--admin-token",
      paramLabel = "<token>",
      description =
          "Token the /_emulator/ routes need in X-Emulator-Admin-Token, 16+ characters (default: random)")
  @Nullable String adminToken;

  @Option(
      names = "--open-admin",
      description = "Serve the /_emulator/ routes to any local client without a token")
  boolean openAdmin;

  /** The root's options that only client commands use, and that this command does not take. */
  private static final String[] CLIENT_OPTIONS = {
    "--connection-string", "--connection-string-file", "--ca-cert", "--timeout", "--max-retries"
  };

  /**
   * Removes the root's client options (inherited by every subcommand) from this command, so that
   * its help lists only what applies and a misplaced client option is a usage error.
   */
  static void dropClientOptions(CommandLine emulator) {
    CommandSpec spec = emulator.getCommandSpec();
    for (String name : CLIENT_OPTIONS) {
      OptionSpec option = spec.findOption(name);
      if (option != null) {
        spec.remove(option);
      }
    }
  }

  /** Released to stop a running emulator; for tests. */
  final CountDownLatch stop = new CountDownLatch(1);

  @Override
  public Integer call() throws Exception {
    if (port < 0 || port > 65535) {
      throw new UsageException("--port " + port + " is out of range; allowed: 0 to 65535");
    }
    if (openAdmin && adminToken != null) {
      throw new UsageException("--open-admin and --admin-token exclude each other; give one");
    }
    AcsEmulator.Builder builder = AcsEmulator.builder().port(port);
    String key = accessKey;
    String resource = resourceId;
    String token = adminToken;
    if (key != null) {
      option("--access-key", () -> builder.accessKey(key));
    }
    if (resource != null) {
      option("--resource-id", () -> builder.resourceId(resource));
    }
    if (token != null) {
      option("--admin-token", () -> builder.adminToken(token));
    }
    if (openAdmin) {
      builder.openAdminRoutes();
    }
    if (mutableClock) {
      builder.clock(MutableClock.systemStart());
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
      String admin = emulator.adminToken().orElse(null);
      if (root.json()) {
        root.out.println(
            Json.object()
                .put("connectionString", emulator.connectionString())
                .put("endpoint", emulator.endpoint())
                .put("certificate", certOut == null ? null : certOut.toString())
                .put("adminToken", admin));
      } else {
        root.out.println("ACS emulator ready: " + emulator.connectionString());
        root.err.println(
            admin == null
                ? "ACS emulator admin routes: open to local clients (--open-admin)"
                : "ACS emulator admin token (header X-Emulator-Admin-Token): " + admin);
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

  /** Applies an option to the builder; its complaint becomes a usage error naming the option. */
  private static void option(String name, Runnable apply) {
    try {
      apply.run();
    } catch (IllegalArgumentException e) {
      // the builder's messages say what is allowed and never repeat a key or token
      throw new UsageException(name + ": " + e.getMessage());
    }
  }
}
