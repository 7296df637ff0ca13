package dev.acstoken.benchmarks;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A throw-away PostgreSQL for {@link DirectoryHarness}: {@code initdb} in a temporary directory and
 * {@code pg_ctl start} on a free port of 127.0.0.1, with the binaries of Debian's {@code
 * postgresql} package ({@code /usr/lib/postgresql/<newest>/bin}); as root, run as the package's
 * {@code postgres} user. Durability is left on (fsync, synchronous commit), as in production.
 */
final class LocalPostgres implements AutoCloseable {

  private final Path bin;
  private final List<String> runAs;
  private final Path dir;
  private final int port;

  private LocalPostgres(Path bin, List<String> runAs, Path dir, int port) {
    this.bin = bin;
    this.runAs = runAs;
    this.dir = dir;
    this.port = port;
  }

  /** {@return a started server, or empty when the binaries are not installed} */
  static Optional<LocalPostgres> start() throws IOException, InterruptedException {
    Optional<Path> bin = binaries();
    if (bin.isEmpty()) {
      return Optional.empty();
    }
    boolean root = "root".equals(System.getProperty("user.name"));
    List<String> runAs = root ? List.of("runuser", "-u", "postgres", "--") : List.of();
    Path dir = Files.createTempDirectory("acs-token-bench-pg-");
    if (root) {
      Files.setOwner(
          dir,
          dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres"));
    }
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    LocalPostgres pg = new LocalPostgres(bin.get(), runAs, dir, port);
    Path data = dir.resolve("data");
    pg.run("initdb", "-D", data.toString(), "-U", "postgres", "-A", "trust", "--no-locale");
    pg.run(
        "pg_ctl",
        "-D",
        data.toString(),
        "-l",
        dir.resolve("server.log").toString(),
        "-w",
        "-o",
        "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1",
        "start");
    return Optional.of(pg);
  }

  String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres";
  }

  @Override
  public void close() throws IOException {
    try {
      run("pg_ctl", "-D", dir.resolve("data").toString(), "-m", "fast", "-w", "stop");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  private void run(String tool, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(runAs);
    command.add(bin.resolve(tool).toString());
    command.addAll(List.of(args));
    Process p =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
    }
  }

  private static Optional<Path> binaries() throws IOException {
    Path base = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(base)) {
      return Optional.empty();
    }
    List<Path> found = new ArrayList<>();
    try (DirectoryStream<Path> versions = Files.newDirectoryStream(base)) {
      for (Path v : versions) {
        if (Files.isExecutable(v.resolve("bin/initdb"))) {
          found.add(v.resolve("bin"));
        }
      }
    }
    return found.stream()
        .max(Comparator.comparingInt(p -> versionOf(p.getParent().getFileName().toString())));
  }

  private static int versionOf(String name) {
    try {
      return Integer.parseInt(name);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
