package dev.acstoken.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.acstoken.core.IdentityId;
import dev.acstoken.core.azure.AcsIdentityClient;
import dev.acstoken.core.azure.ConnectionString;
import dev.acstoken.directory.jdbc.JdbcIdentityDirectory;
import dev.acstoken.testkit.AcsEmulator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code acs-token directory ...} against an H2 directory and the emulator. */
class DirectoryCommandsTest {

  static final String URL = "jdbc:h2:mem:cli_directory;DB_CLOSE_DELAY=-1";
  static AcsEmulator emulator;
  static Path cert;
  static JdbcIdentityDirectory directory;

  @BeforeAll
  static void start(@TempDir Path dir) throws IOException {
    emulator = AcsEmulator.builder().start();
    cert = dir.resolve("emulator.pem");
    Files.writeString(cert, emulator.certificatePem(), StandardCharsets.US_ASCII);
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL(URL);
    directory =
        JdbcIdentityDirectory.builder()
            .dataSource(ds)
            .identityOperations(
                AcsIdentityClient.builder()
                    .connectionString(ConnectionString.parse(emulator.connectionString()))
                    .httpClient(emulator.httpClient())
                    .build())
            .build();
  }

  @AfterAll
  static void stop() {
    directory.close();
    emulator.close();
  }

  static CliRun cli(String... args) {
    List<String> all = new ArrayList<>(List.of("--ca-cert", cert.toString(), "--max-retries", "0"));
    all.addAll(List.of(args));
    return CliRun.run(
        Map.of("ACS_CONNECTION_STRING", emulator.connectionString()),
        "",
        all.toArray(new String[0]));
  }

  @Test
  void lookup_knownUser_printsTheIdentity() {
    IdentityId id = directory.identityFor("alice@example.com");

    CliRun run = cli("directory", "lookup", "alice@example.com", "--jdbc-url", URL);

    assertThat(run.exitCode).as(run.toString()).isZero();
    assertThat(run.out.trim()).isEqualTo(id.value());
  }

  @Test
  void lookup_unknownUser_saysSoAsJson() {
    CliRun run = cli("-o", "json", "directory", "lookup", "nobody", "--jdbc-url", URL);

    assertThat(run.exitCode).as(run.toString()).isZero();
    assertThat(run.out.trim()).isEqualTo("{\"appUserId\":\"nobody\",\"identity\":null}");
  }

  @Test
  void lookup_needsNoConnectionString() {
    directory.identityFor("offline");

    CliRun run = CliRun.run("directory", "lookup", "offline", "--jdbc-url", URL);

    assertThat(run.exitCode).as(run.toString()).isZero();
  }

  @Test
  void forget_knownUser_deletesTheIdentityAtAcsAndUnmaps() {
    IdentityId id = directory.identityFor("bob");

    CliRun run = cli("directory", "forget", "bob", "--jdbc-url", URL);

    assertThat(run.exitCode).as(run.toString()).isZero();
    assertThat(run.out).contains("deleted the identity with ID: " + id.value());
    assertThat(emulator.deletedIdentities()).contains(id);
    assertThat(directory.find("bob")).isEmpty();
    assertThat(cli("directory", "forget", "bob", "--jdbc-url", URL).out)
        .contains("nothing to forget");
  }

  @Test
  void reconcile_onASettledDirectory_reportsNothingToDo() {
    CliRun run = cli("-o", "json", "directory", "reconcile", "--jdbc-url", URL);

    assertThat(run.exitCode).as(run.toString()).isZero();
    assertThat(run.out.trim())
        .isEqualTo("{\"abandonedClaims\":0,\"forgetsCompleted\":0,\"failures\":0}");
  }

  @Test
  void withoutJdbcUrl_isAConfigurationError() {
    CliRun run = cli("directory", "lookup", "alice");

    assertThat(run.exitCode).isEqualTo(ExitCode.CONFIGURATION);
    assertThat(run.err).contains("--jdbc-url").contains(DirectoryCommand.URL_VARIABLE);
  }

  @Test
  void invalidAppUserId_isAUsageErrorThatDoesNotEchoIt() {
    CliRun run = cli("directory", "lookup", "two words", "--jdbc-url", URL);

    assertThat(run.exitCode).isEqualTo(ExitCode.USAGE);
    assertThat(run.err).contains("app user id").doesNotContain("two words");
  }

  @Test
  void missingTable_isAConfigurationErrorNamingIt() {
    CliRun run = cli("directory", "lookup", "alice", "--jdbc-url", URL, "--table", "no_such_table");

    assertThat(run.exitCode).as(run.toString()).isEqualTo(ExitCode.CONFIGURATION);
    assertThat(run.err).containsIgnoringCase("no_such_table");
  }

  @Test
  void help_namesTheJdbcModulesDefaultTable() {
    CliRun run = CliRun.run("directory", "lookup", "--help");

    assertThat(run.exitCode).as(run.toString()).isZero();
    // the help wraps its lines: compare with white space folded
    assertThat(run.out.replaceAll("\\s+", " "))
        .contains("(default: " + JdbcIdentityDirectory.DEFAULT_TABLE_NAME + ")");
  }

  @Test
  void lookup_passwordFromTheEnvironment_connects_andAWrongOneIsAConfigurationErrorWithoutIt() {
    String url = "jdbc:h2:mem:cli_directory_password;DB_CLOSE_DELAY=-1";
    JdbcDataSource owner = new JdbcDataSource();
    owner.setURL(url);
    owner.setUser("operator");
    owner.setPassword("directory-password-1");
    try (JdbcIdentityDirectory withPassword =
        JdbcIdentityDirectory.builder()
            .dataSource(owner)
            .identityOperations(emulator.acsIdentityClientBuilder().build())
            .build()) {
      withPassword.find("anyone"); // the first connection sets the user's password
    }
    String[] lookup = {
      "directory", "lookup", "nobody", "--jdbc-url", url, "--jdbc-user", "operator"
    };

    CliRun right =
        CliRun.run(Map.of(DirectoryCommand.PASSWORD_VARIABLE, "directory-password-1"), "", lookup);
    CliRun wrong =
        CliRun.run(Map.of(DirectoryCommand.PASSWORD_VARIABLE, "not-the-password-2"), "", lookup);

    assertThat(right.exitCode).as(right.toString()).isZero();
    assertThat(wrong.exitCode).as(wrong.toString()).isEqualTo(ExitCode.CONFIGURATION);
    assertThat(wrong.all())
        .doesNotContain("not-the-password-2")
        .doesNotContain("directory-password-1");
  }
}
