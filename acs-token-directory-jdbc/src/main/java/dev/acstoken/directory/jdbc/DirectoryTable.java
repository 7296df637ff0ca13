package dev.acstoken.directory.jdbc;

import dev.acstoken.core.IdentityId;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The directory's table and every statement on it. Each method is one statement on its own
 * connection, committed when it returns: the protocol of {@link JdbcIdentityDirectory} relies on
 * each step being durable by itself, and never holds a connection across a call to ACS.
 * Thread-safe.
 */
final class DirectoryTable {

  private static final Pattern NAME =
      Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}(\\.[A-Za-z_][A-Za-z0-9_]{0,62})?");

  private final DataSource dataSource;
  private final String name;

  DirectoryTable(DataSource dataSource, String name) {
    this.dataSource = dataSource;
    this.name = name;
  }

  /**
   * Checks a table name: an SQL identifier, optionally schema-qualified, unquoted.
   *
   * @throws IllegalArgumentException naming the rule and the value
   */
  static String checkName(@Nullable String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "tableName '"
              + name
              + "' is not allowed; expected an unquoted SQL identifier of letters, digits and _"
              + " (at most 63, not starting with a digit), optionally schema-qualified: schema.table");
    }
    return name;
  }

  /** {@return the DDL that creates the table if it is missing, for the given table name} */
  static String ddl(String name) {
    return String.join(
        "\n",
        "CREATE TABLE IF NOT EXISTS " + name + " (",
        "  app_user_id VARCHAR(512) NOT NULL PRIMARY KEY,",
        "  identity_id VARCHAR(512),",
        "  state       VARCHAR(16)  NOT NULL,",
        "  claim_id    VARCHAR(36),",
        "  claimed_at  BIGINT       NOT NULL,",
        "  updated_at  BIGINT       NOT NULL",
        ")");
  }

  String name() {
    return name;
  }

  /** Creates the table unless it exists; several instances may race here at start-up. */
  void createIfMissing() throws SQLException {
    if (exists()) {
      return;
    }
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      s.execute(ddl(name));
      commit(c);
    } catch (SQLException e) {
      // another instance created it at the same moment (PostgreSQL's IF NOT EXISTS is not
      // atomic against a concurrent CREATE): fine if the table is there now
      if (!exists()) {
        throw e;
      }
    }
  }

  boolean exists() {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      s.executeQuery("SELECT app_user_id FROM " + name + " WHERE 1 = 0").close();
      commit(c);
      return true;
    } catch (SQLException e) {
      return false;
    }
  }

  /** {@return the user's row, or null if there is none} */
  @Nullable Row read(String appUserId) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT state, identity_id, claim_id, claimed_at FROM "
                    + name
                    + " WHERE app_user_id = ?")) {
      s.setString(1, appUserId);
      Row row = null;
      try (ResultSet r = s.executeQuery()) {
        if (r.next()) {
          row = row(r, 1);
        }
      }
      commit(c);
      return row;
    }
  }

  /**
   * Claims a user that has no row: inserts a CREATING row.
   *
   * @return true if this caller claimed it, false if a row already exists (another caller won)
   */
  boolean claim(String appUserId, String claimId, long nowMillis) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "INSERT INTO "
                    + name
                    + " (app_user_id, identity_id, state, claim_id, claimed_at, updated_at)"
                    + " VALUES (?, NULL, 'CREATING', ?, ?, ?)")) {
      s.setString(1, appUserId);
      s.setString(2, claimId);
      s.setLong(3, nowMillis);
      s.setLong(4, nowMillis);
      try {
        s.executeUpdate();
        commit(c);
        return true;
      } catch (SQLException e) {
        if (isUniqueViolation(e)) {
          rollback(c);
          return false;
        }
        throw e;
      }
    }
  }

  /** Records the created identity and makes the row ACTIVE, if the claim is still this caller's. */
  boolean record(String appUserId, String claimId, IdentityId identity, long nowMillis)
      throws SQLException {
    return update(
        "UPDATE "
            + name
            + " SET identity_id = ?, state = 'ACTIVE', claim_id = NULL, claimed_at = ?,"
            + " updated_at = ? WHERE app_user_id = ? AND state = 'CREATING' AND claim_id = ?",
        identity.value(),
        nowMillis,
        nowMillis,
        appUserId,
        claimId);
  }

  /** Removes a CREATING row if the claim is still this caller's. */
  boolean release(String appUserId, String claimId) throws SQLException {
    return update(
        "DELETE FROM " + name + " WHERE app_user_id = ? AND state = 'CREATING' AND claim_id = ?",
        appUserId,
        claimId);
  }

  /** Takes over a stale claim: compare-and-set of the claim id. */
  boolean takeOver(String appUserId, String staleClaimId, String newClaimId, long nowMillis)
      throws SQLException {
    return update(
        "UPDATE "
            + name
            + " SET claim_id = ?, claimed_at = ?, updated_at = ?"
            + " WHERE app_user_id = ? AND state = 'CREATING' AND claim_id = ?",
        newClaimId,
        nowMillis,
        nowMillis,
        appUserId,
        staleClaimId);
  }

  /** Marks an ACTIVE row FORGETTING: the durable intent to delete its identity. */
  boolean startForget(String appUserId, IdentityId identity, long nowMillis) throws SQLException {
    return update(
        "UPDATE "
            + name
            + " SET state = 'FORGETTING', claimed_at = ?, updated_at = ?"
            + " WHERE app_user_id = ? AND state = 'ACTIVE' AND identity_id = ?",
        nowMillis,
        nowMillis,
        appUserId,
        identity.value());
  }

  /** Removes a FORGETTING row once its identity is gone at ACS. */
  boolean finishForget(String appUserId, IdentityId identity) throws SQLException {
    return update(
        "DELETE FROM "
            + name
            + " WHERE app_user_id = ? AND state = 'FORGETTING' AND identity_id = ?",
        appUserId,
        identity.value());
  }

  /** One row that is not ACTIVE, with its app user id, for the reconcile sweep. */
  record Unsettled(String appUserId, Row row) {}

  /** {@return the rows that are CREATING or FORGETTING} */
  List<Unsettled> unsettled() throws SQLException {
    List<Unsettled> out = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "SELECT app_user_id, state, identity_id, claim_id, claimed_at FROM "
                    + name
                    + " WHERE state <> 'ACTIVE'")) {
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          out.add(new Unsettled(r.getString(1), row(r, 2)));
        }
      }
      commit(c);
    }
    return out;
  }

  /** {@return how many rows the table holds, by state; for tests and the CLI} */
  long count(Row.State state) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s =
            c.prepareStatement("SELECT COUNT(*) FROM " + name + " WHERE state = ?")) {
      s.setString(1, state.name());
      long n;
      try (ResultSet r = s.executeQuery()) {
        r.next();
        n = r.getLong(1);
      }
      commit(c);
      return n;
    }
  }

  private boolean update(String sql, Object... args) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) {
        if (args[i] instanceof Long l) {
          s.setLong(i + 1, l);
        } else {
          s.setString(i + 1, (String) args[i]);
        }
      }
      int n = s.executeUpdate();
      commit(c);
      return n > 0;
    }
  }

  private static Row row(ResultSet r, int first) throws SQLException {
    Row.State state = Row.State.valueOf(r.getString(first).trim().toUpperCase(Locale.ROOT));
    String identity = r.getString(first + 1);
    String claim = r.getString(first + 2);
    long claimedAt = r.getLong(first + 3);
    return new Row(state, identity == null ? null : IdentityId.of(identity), claim, claimedAt);
  }

  private static void commit(Connection c) throws SQLException {
    // a pool may hand out connections outside auto-commit: each step must be durable on its own
    if (!c.getAutoCommit()) {
      c.commit();
    }
  }

  private static void rollback(Connection c) throws SQLException {
    if (!c.getAutoCommit()) {
      c.rollback();
    }
  }

  /** Unique constraint violated: SQLState 23505 in PostgreSQL, H2 and the SQL standard. */
  static boolean isUniqueViolation(SQLException e) {
    for (SQLException x = e; x != null; x = x.getNextException()) {
      if ("23505".equals(x.getSQLState())
          || x instanceof java.sql.SQLIntegrityConstraintViolationException) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return "DirectoryTable[" + name + "]";
  }
}
