package dev.acstoken.cli;

import dev.acstoken.core.IdentityDirectory;
import dev.acstoken.core.IdentityId;
import dev.acstoken.core.IdentityOperations;
import dev.acstoken.core.error.DirectoryException;
import dev.acstoken.directory.jdbc.JdbcIdentityDirectory;
import dev.acstoken.directory.jdbc.ReconcileResult;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.ScopeType;

/**
 * {@code acs-token directory lookup|forget|reconcile}: the identity directory of a service, in its
 * database. The table is never created here; a missing table is a configuration error.
 */
@Command(
    name = "directory",
    mixinStandardHelpOptions = true,
    description = "Look up and forget application users in an identity directory (JDBC).",
    subcommands = {
      DirectoryCommand.Lookup.class,
      DirectoryCommand.Forget.class,
      DirectoryCommand.Reconcile.class
    },
    footer = {
      "",
      "The database password is read from the environment variable "
          + DirectoryCommand.PASSWORD_VARIABLE
          + ", never from the command line."
    })
final class DirectoryCommand implements Callable<Integer> {

  static final String URL_VARIABLE = "ACS_DIRECTORY_JDBC_URL";
  static final String PASSWORD_VARIABLE = "ACS_DIRECTORY_JDBC_PASSWORD";

  @ParentCommand AcsTokenCommand root;

  @Option(
      names = "--jdbc-url",
      scope = ScopeType.INHERIT,
      paramLabel = "<url>",
      description =
          "JDBC URL of the directory's database, e.g. jdbc:postgresql://db:5432/app;"
              + " default: $"
              + URL_VARIABLE)
  @Nullable String jdbcUrl;

  @Option(
      names = "--jdbc-user",
      scope = ScopeType.INHERIT,
      paramLabel = "<user>",
      description = "Database user (password: $" + PASSWORD_VARIABLE + ")")
  @Nullable String jdbcUser;

  @Option(
      names = "--table",
      scope = ScopeType.INHERIT,
      paramLabel = "<name>",
      description =
          "The directory's table (default: " + JdbcIdentityDirectory.DEFAULT_TABLE_NAME + ")")
  @Nullable String table;

  @Override
  public Integer call() {
    throw new UsageException("directory needs a subcommand: lookup, forget or reconcile");
  }

  /** Runs work on a directory over the configured database and the given operations. */
  <T> T withDirectory(IdentityOperations operations, Function<JdbcIdentityDirectory, T> work) {
    JdbcIdentityDirectory.Builder b = JdbcIdentityDirectory.builder();
    if (table != null) {
      try {
        b.tableName(table);
      } catch (IllegalArgumentException e) {
        throw new UsageException("--table: " + e.getMessage());
      }
    }
    String url = jdbcUrl != null && !jdbcUrl.isBlank() ? jdbcUrl : root.env.get(URL_VARIABLE);
    if (url == null || url.isBlank()) {
      throw new ConfigurationException(
          "no database: pass --jdbc-url or set " + URL_VARIABLE + " (e.g. jdbc:postgresql://...)");
    }
    DataSource ds = new UrlDataSource(url, jdbcUser, root.env.get(PASSWORD_VARIABLE));
    try (JdbcIdentityDirectory directory =
        b.dataSource(ds).identityOperations(operations).createTable(false).build()) {
      return work.apply(directory);
    } catch (DirectoryException e) {
      if (e.isRetryable()) {
        throw e;
      }
      // a missing table, a refused login, a bad URL: the configuration, not the service. The
      // driver's own message is left out: it may repeat the JDBC URL, password included
      throw new ConfigurationException(
          e.getMessage()
              + (e.getCause() != null ? " (" + e.getCause().getClass().getSimpleName() + ")" : "")
              + "; check that table "
              + (table != null
                  ? table
                  : JdbcIdentityDirectory.DEFAULT_TABLE_NAME + " (the default)")
              + " exists and that the JDBC URL and login are right");
    }
  }

  /** {@code acs-token directory lookup <app-user-id>}: the user's identity, without calling ACS. */
  @Command(
      name = "lookup",
      mixinStandardHelpOptions = true,
      description = "Print the identity of an application user; needs no ACS connection.")
  static final class Lookup implements Callable<Integer> {
    @ParentCommand DirectoryCommand parent;

    @Parameters(paramLabel = "<app-user-id>", description = "The application's id of the user")
    String appUserId;

    @Override
    public Integer call() {
      IdentityDirectory.checkAppUserId(appUserId);
      // find never calls ACS: operations that refuse every call prove it
      Optional<IdentityId> found =
          parent.withDirectory(NoOperations.INSTANCE, d -> d.find(appUserId));
      parent.root.print(
          Json.object()
              .put("appUserId", appUserId)
              .put("identity", found.map(IdentityId::value).orElse(null)),
          found.map(IdentityId::value).orElse("no identity for this app user"));
      return ExitCode.SUCCESS;
    }
  }

  /** {@code acs-token directory forget <app-user-id>}: revoke, delete, unmap. */
  @Command(
      name = "forget",
      mixinStandardHelpOptions = true,
      description =
          "Revoke the tokens of an application user's identity, delete the identity at ACS, then"
              + " remove the user from the directory. Safe to repeat.")
  static final class Forget implements Callable<Integer> {
    @ParentCommand DirectoryCommand parent;

    @Parameters(paramLabel = "<app-user-id>", description = "The application's id of the user")
    String appUserId;

    @Override
    public Integer call() {
      IdentityDirectory.checkAppUserId(appUserId);
      Optional<IdentityId> forgotten =
          parent.withDirectory(
              parent.root.client(),
              d -> {
                Optional<IdentityId> before = d.find(appUserId);
                d.forget(appUserId);
                return before;
              });
      parent.root.print(
          Json.object()
              .put("appUserId", appUserId)
              .put("identity", forgotten.map(IdentityId::value).orElse(null))
              .put("forgotten", true),
          forgotten
              .map(id -> "Forgot the app user; deleted the identity with ID: " + id.value())
              .orElse("The app user was not in the directory; nothing to forget"));
      return ExitCode.SUCCESS;
    }
  }

  /** {@code acs-token directory reconcile}: settle what crashes left behind. */
  @Command(
      name = "reconcile",
      mixinStandardHelpOptions = true,
      description =
          "Remove abandoned claims and finish interrupted forgets (deleting their identities at"
              + " ACS).")
  static final class Reconcile implements Callable<Integer> {
    @ParentCommand DirectoryCommand parent;

    @Override
    public Integer call() {
      ReconcileResult r =
          parent.withDirectory(parent.root.client(), JdbcIdentityDirectory::reconcile);
      parent.root.print(
          Json.object()
              .put("abandonedClaims", r.abandonedClaims())
              .put("forgetsCompleted", r.forgetsCompleted())
              .put("failures", r.failures()),
          "Removed "
              + r.abandonedClaims()
              + " abandoned claim(s), completed "
              + r.forgetsCompleted()
              + " forget(s), "
              + r.failures()
              + " failure(s)");
      return ExitCode.SUCCESS;
    }
  }

  /** A data source over {@link DriverManager}: one connection per call, as a CLI needs. */
  static final class UrlDataSource implements DataSource {
    private final String url;
    private final @Nullable String user;
    private final @Nullable String password;

    UrlDataSource(String url, @Nullable String user, @Nullable String password) {
      this.url = url;
      this.user = user;
      this.password = password;
    }

    @Override
    public Connection getConnection() throws SQLException {
      return user == null ? DriverManager.getConnection(url) : getConnection(user, password);
    }

    @Override
    public Connection getConnection(@Nullable String username, @Nullable String pw)
        throws SQLException {
      return DriverManager.getConnection(url, username, pw);
    }

    @Override
    public @Nullable PrintWriter getLogWriter() {
      return null;
    }

    @Override
    public void setLogWriter(@Nullable PrintWriter out) {}

    @Override
    public void setLoginTimeout(int seconds) {
      DriverManager.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() {
      return DriverManager.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
      throw new SQLFeatureNotSupportedException("no parent logger");
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
      throw new SQLException("not a wrapper of " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
      return false;
    }

    /** {@return the URL without user or password} */
    @Override
    public String toString() {
      return "UrlDataSource[" + url.replaceAll("(?i)(password=)[^&;]*", "$1***") + "]";
    }
  }
}
