package dev.acstoken.directory.jdbc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A real PostgreSQL server for the tests: {@code initdb} in a new temporary directory and {@code
 * pg_ctl start} on a free port of 127.0.0.1, using the binaries of Debian's {@code postgresql}
 * package ({@code /usr/lib/postgresql/<version>/bin}, the newest; or the directory in {@code
 * ACS_TOKEN_PG_BIN}). One server per test JVM, stopped ({@code pg_ctl stop -m immediate}) and
 * deleted when the JVM exits.
 *
 * <p>{@code initdb} refuses to run as root: when the tests run as root (as in CI containers), the
 * server runs as the {@code postgres} user that the Debian package creates, through {@code runuser
 * -u postgres --}, in a directory handed to that user.
 *
 * <p>Without the binaries the PostgreSQL tests are skipped with a message saying what to install;
 * with {@code ACS_TOKEN_REQUIRE_POSTGRES=true} (as {@code .ci/run} sets) they fail instead.
 */
final class PostgresServer {

  private static PostgresServer shared;

  private final Path bin;
  private final List<String> runAs;
  private final Path dir;
  private final Path data;
  private final int port;

  private PostgresServer(Path bin, List<String> runAs, Path dir, int port) {
    this.bin = bin;
    this.runAs = runAs;
    this.dir = dir;
    this.data = dir.resolve("data");
    this.port = port;
  }

  /** {@return the server of this JVM, started on first use; skips the test without binaries} */
  static synchronized PostgresServer shared() {
    if (shared == null) {
      Optional<Path> bin = findBinaries();
      if (bin.isEmpty()) {
        String message =
            "PostgreSQL tests need initdb and pg_ctl (Debian: apt-get install -y postgresql;"
                + " looked in /usr/lib/postgresql/*/bin and $ACS_TOKEN_PG_BIN)";
        if ("true".equals(System.getenv("ACS_TOKEN_REQUIRE_POSTGRES"))) {
          throw new IllegalStateException(message);
        }
        Assumptions.abort(message);
      }
      PostgresServer server = start(bin.get());
      Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "postgres-stop"));
      shared = server;
    }
    return shared;
  }

  /** {@return a JDBC URL of the server's postgres database as the superuser} */
  String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
  }

  private static PostgresServer start(Path bin) {
    boolean root = isRoot();
    List<String> runAs = root ? List.of("runuser", "-u", "postgres", "--") : List.of();
    try {
      Path dir = Files.createTempDirectory("acs-token-pg-");
      if (root) {
        UserPrincipal postgres =
            dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
        Files.setOwner(dir, postgres);
      }
      PostgresServer server = new PostgresServer(bin, runAs, dir, freePort());
      server.run(
          "initdb",
          "-D",
          server.data.toString(),
          "-U",
          "postgres",
          "-A",
          "trust",
          "-E",
          "UTF8",
          "--no-locale",
          "--no-sync");
      server.run(
          "pg_ctl",
          "-D",
          server.data.toString(),
          "-l",
          dir.resolve("server.log").toString(),
          "-w",
          "-t",
          "60",
          "-o",
          "-p "
              + server.port
              + " -k "
              + dir
              + " -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off"
              + " -c synchronous_commit=off -c full_page_writes=off",
          "start");
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void stop() {
    try {
      run("pg_ctl", "-D", data.toString(), "-m", "immediate", "-w", "stop");
    } catch (RuntimeException e) {
      // already gone
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // a leftover temporary directory is harmless
    }
  }

  private void run(String tool, String... args) {
    List<String> command = new ArrayList<>(runAs);
    command.add(bin.resolve(tool).toString());
    command.addAll(List.of(args));
    try {
      Process p =
          new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
      // pg_ctl's server keeps no handle on this pipe (its output goes to -l), so reading to the
      // end returns when the tool exits
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Optional<Path> findBinaries() {
    String env = System.getenv("ACS_TOKEN_PG_BIN");
    if (env != null && Files.isExecutable(Path.of(env, "initdb"))) {
      return Optional.of(Path.of(env));
    }
    Path base = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(base)) {
      return Optional.empty();
    }
    List<Path> found = new ArrayList<>();
    try (DirectoryStream<Path> versions = Files.newDirectoryStream(base)) {
      for (Path v : versions) {
        Path bin = v.resolve("bin");
        if (Files.isExecutable(bin.resolve("initdb"))
            && Files.isExecutable(bin.resolve("pg_ctl"))) {
          found.add(bin);
        }
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    // the newest major version
    return found.stream()
        .max(
            Comparator.comparingInt(
                p -> {
                  try {
                    return Integer.parseInt(p.getParent().getFileName().toString());
                  } catch (NumberFormatException e) {
                    return 0;
                  }
                }));
  }

  private static boolean isRoot() {
    try {
      Process p = new ProcessBuilder("id", "-u").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      p.waitFor(10, TimeUnit.SECONDS);
      return "0".equals(out);
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
