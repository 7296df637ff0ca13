package dev.acstoken.testkit.standalone;

import dev.acstoken.testkit.AcsEmulator;
import dev.acstoken.testkit.MutableClock;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the ACS emulator as a process, for clients that are not Java:
 *
 * <pre>
 * java -jar acs-token-testkit-standalone.jar --port 8443 --access-key &lt;base64&gt; --cert-out emulator.pem
 * </pre>
 *
 * <p>Prints exactly one line to standard output, {@code ACS emulator ready: <connection string>},
 * once it serves, and the admin token of the {@code /_emulator/} routes (header {@code
 * X-Emulator-Admin-Token}; {@code --admin-token} chooses it, {@code --open-admin} drops it) to
 * standard error; writes the certificate clients must trust to the {@code --cert-out} file; stops
 * cleanly on SIGTERM or Ctrl-C. Errors go to standard error, with exit status 2 for bad arguments
 * and 1 when the emulator cannot start.
 */
public final class EmulatorMain {

  private static final String USAGE =
      "usage: java -jar acs-token-testkit-standalone.jar [--port <port, 0 = any>] [--access-key <base64>]"
          + " [--cert-out <file.pem>] [--resource-id <guid>] [--mutable-clock]"
          + " [--admin-token <16+ chars> | --open-admin]";

  private EmulatorMain() {}

  /**
   * Starts the emulator and waits for the process to be stopped.
   *
   * @param args the command line; see the class documentation
   */
  public static void main(String[] args) {
    AcsEmulator.Builder builder = AcsEmulator.builder();
    Path certOut = null;
    boolean adminToken = false;
    boolean openAdmin = false;
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--port":
            builder.port(port(value(args, ++i, "--port")));
            break;
          case "--access-key":
            builder.accessKey(value(args, ++i, "--access-key"));
            break;
          case "--cert-out":
            certOut = Path.of(value(args, ++i, "--cert-out"));
            break;
          case "--resource-id":
            builder.resourceId(value(args, ++i, "--resource-id"));
            break;
          case "--mutable-clock":
            builder.clock(MutableClock.systemStart());
            break;
          case "--admin-token":
            builder.adminToken(value(args, ++i, "--admin-token"));
            adminToken = true;
            break;
          case "--open-admin":
            builder.openAdminRoutes();
            openAdmin = true;
            break;
          case "--help":
          case "-h":
            System.out.println(USAGE);
            return;
          default:
            throw new IllegalArgumentException("unknown option '" + args[i] + "'");
        }
      }
      if (adminToken && openAdmin) {
        throw new IllegalArgumentException("--open-admin and --admin-token exclude each other");
      }
    } catch (IllegalArgumentException e) {
      System.err.println("acs emulator: " + e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    AcsEmulator emulator;
    try {
      emulator = builder.start();
    } catch (RuntimeException e) {
      System.err.println("acs emulator: " + e.getMessage());
      System.exit(1);
      return;
    }
    if (certOut != null) {
      try {
        Files.writeString(certOut, emulator.certificatePem(), StandardCharsets.US_ASCII);
      } catch (IOException e) {
        System.err.println("acs emulator: cannot write " + certOut + ": " + e.getMessage());
        emulator.close();
        System.exit(1);
        return;
      }
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  emulator.close();
                  stopped.countDown();
                },
                "acs-emulator-shutdown"));
    PrintStream out = System.out;
    out.println("ACS emulator ready: " + emulator.connectionString());
    out.flush();
    System.err.println(
        emulator
            .adminToken()
            .map(t -> "ACS emulator admin token (header X-Emulator-Admin-Token): " + t)
            .orElse("ACS emulator admin routes: open to local clients (--open-admin)"));
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      emulator.close();
    }
  }

  private static int port(String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "--port must be a number from 0 to 65535; got '" + value + "'");
    }
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }
}
