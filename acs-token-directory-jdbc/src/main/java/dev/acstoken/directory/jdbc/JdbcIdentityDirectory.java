package dev.acstoken.directory.jdbc;

import dev.acstoken.core.IdentityDirectory;
import dev.acstoken.core.IdentityId;
import dev.acstoken.core.IdentityOperations;
import dev.acstoken.core.TimeSource;
import dev.acstoken.core.error.AcsException;
import dev.acstoken.core.error.DirectoryException;
import dev.acstoken.core.error.NotFoundException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Core's {@link IdentityDirectory} over one table of a JDBC database (PostgreSQL in production, H2
 * embedded): each application user has exactly one ACS identity, created the first time it is asked
 * for, exactly once across any number of threads and service instances that share the database.
 *
 * <pre>{@code
 * JdbcIdentityDirectory directory =
 *     JdbcIdentityDirectory.builder().dataSource(dataSource).identityOperations(acsClient).build();
 * IdentityId identity = directory.identityFor(principal.getName());
 * }</pre>
 *
 * <h2>How a user gets exactly one identity</h2>
 *
 * Each step is one statement, committed on its own; no connection is held while ACS is called.
 *
 * <ol>
 *   <li>Read the user's row. An {@code ACTIVE} row is the answer: no call to ACS, so known users
 *       are served while ACS is down.
 *   <li>No row: claim the user by inserting a {@code CREATING} row with a random claim id. The
 *       primary key lets exactly one caller, across all instances, win; the others wait for the row
 *       to become {@code ACTIVE} (polling with back-off, at most {@link Builder#waitTimeout}).
 *   <li>The winner creates the identity at ACS. If ACS fails, it deletes its claim and rethrows
 *       ACS's exception (retryable ones stay retryable): nothing is half-written.
 *   <li>The winner records the identity and marks the row {@code ACTIVE} in one update that holds
 *       only while the claim is still its own. If it lost the claim (see below), it deletes the
 *       identity it created at ACS and answers with the one recorded, so no duplicate survives.
 * </ol>
 *
 * <h2>Crashes and {@link #reconcile()}</h2>
 *
 * A claim older than {@link Builder#claimTimeout} (judged by the builder's time source; keep the
 * instances' clocks within a fraction of it) is stale: the caller that made it is presumed dead.
 * The next {@link #identityFor} of that user takes the claim over (compare-and-set on the claim id)
 * and creates the identity; {@link #reconcile()} removes stale claims and finishes interrupted
 * forgets for all users at once, e.g. from a scheduled job. A caller that stopped after ACS created
 * an identity and before step 4 committed leaves an identity no one holds the id of: ACS
 * api-version 2022-10-01, which the Java SDK speaks, cannot look identities up by anything but
 * their id, so no one can find it to delete it. The library keeps that window to one response and
 * one single-row update, and {@link ReconcileResult#abandonedClaims()} counts the claims that may
 * have left one.
 *
 * <h2>Forget</h2>
 *
 * {@link #forget} marks the row {@code FORGETTING} (the durable intent), revokes the identity's
 * tokens, deletes the identity at ACS (an identity ACS no longer knows counts as deleted), then
 * deletes the row. Interrupted anywhere, it is finished by a retry, by the user's next {@link
 * #identityFor}, or by {@link #reconcile()}.
 *
 * <h2>The table</h2>
 *
 * Created when missing unless {@link Builder#createTable(boolean) createTable(false)}; its DDL
 * (portable, PostgreSQL and H2) is {@link #ddl(String)}, for those who manage schemas with Flyway
 * or Liquibase.
 *
 * <p>Thread-safe. Async methods run the blocking JDBC work on the builder's executor, by default on
 * threads the directory owns and {@link #close()} stops. App user ids never appear in a log line at
 * INFO or above nor in an exception message.
 */
public final class JdbcIdentityDirectory implements IdentityDirectory, AutoCloseable {

  /**
   * The table the directory uses unless {@link Builder#tableName(String)} names another: {@value}.
   * Tools and configuration that mention the default (a CLI's help, a schema migration) refer to
   * this constant, so that they cannot fall out of step with it.
   */
  public static final String DEFAULT_TABLE_NAME = "acs_identity_directory";

  /** The default claim timeout: longer than an ACS call with the SDK's retries. */
  public static final Duration DEFAULT_CLAIM_TIMEOUT = Duration.ofMinutes(2);

  /** The default time a caller waits for another caller creating the same user's identity. */
  public static final Duration DEFAULT_WAIT_TIMEOUT = Duration.ofSeconds(30);

  private static final Logger LOG = LoggerFactory.getLogger(JdbcIdentityDirectory.class);
  private static final long FIRST_POLL_MILLIS = 5;
  private static final long MAX_POLL_MILLIS = 100;

  private final DirectoryTable table;
  private final IdentityOperations operations;
  private final TimeSource clock;
  private final Duration claimTimeout;
  private final Duration waitTimeout;
  private final Executor executor;
  private final @Nullable ExecutorService ownedExecutor;

  private JdbcIdentityDirectory(Builder b, DataSource dataSource, IdentityOperations operations) {
    this.table = new DirectoryTable(dataSource, b.tableName);
    this.operations = operations;
    this.clock = b.clock;
    this.claimTimeout = b.claimTimeout;
    this.waitTimeout = b.waitTimeout;
    if (b.executor != null) {
      this.executor = b.executor;
      this.ownedExecutor = null;
    } else {
      ExecutorService owned = Executors.newCachedThreadPool(new DaemonThreads());
      this.executor = owned;
      this.ownedExecutor = owned;
    }
  }

  /** {@return a builder of a directory} */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the DDL of the directory's table: the statement the directory runs when the table is
   * missing, for schemas managed by hand or with Flyway or Liquibase. Portable across PostgreSQL
   * and H2.
   *
   * @param tableName the table name, optionally schema-qualified
   * @return the {@code CREATE TABLE IF NOT EXISTS} statement
   * @throws IllegalArgumentException if the table name is not a plain SQL identifier
   */
  public static String ddl(String tableName) {
    return DirectoryTable.ddl(DirectoryTable.checkName(tableName));
  }

  // ---- IdentityDirectory

  @Override
  public IdentityId identityFor(String appUserId) {
    IdentityDirectory.checkAppUserId(appUserId);
    Waiter waiter = new Waiter();
    while (true) {
      Row row = read(appUserId);
      if (row == null) {
        String claim = UUID.randomUUID().toString();
        if (store(() -> table.claim(appUserId, claim, clock.wallMillis()), "claim the user")) {
          IdentityId created = createClaimed(appUserId, claim);
          if (created != null) {
            return created;
          }
        }
        // another caller claimed first, or took our claim over: read again
        continue;
      }
      switch (row.state()) {
        case ACTIVE:
          return row.identity();
        case FORGETTING:
          // a forget was interrupted (or runs now): finish it, then create a new identity
          finishForget(appUserId, row.identity());
          continue;
        case CREATING:
        default:
          if (isStale(row)) {
            String claim = UUID.randomUUID().toString();
            if (store(
                () -> table.takeOver(appUserId, row.claimId(), claim, clock.wallMillis()),
                "take over a stale claim")) {
              // app user ids may name a person: never in a log line, at any level
              LOG.debug("took over a stale claim of an app user");
              IdentityId created = createClaimed(appUserId, claim);
              if (created != null) {
                return created;
              }
            }
            continue;
          }
          waiter.pause("another caller is still creating this user's identity");
      }
    }
  }

  @Override
  public Optional<IdentityId> find(String appUserId) {
    IdentityDirectory.checkAppUserId(appUserId);
    Row row = read(appUserId);
    return row != null && row.state() == Row.State.ACTIVE
        ? Optional.ofNullable(row.identity())
        : Optional.empty();
  }

  @Override
  public void forget(String appUserId) {
    IdentityDirectory.checkAppUserId(appUserId);
    Waiter waiter = new Waiter();
    while (true) {
      Row row = read(appUserId);
      if (row == null) {
        return;
      }
      switch (row.state()) {
        case ACTIVE:
          IdentityId identity = row.identity();
          // the durable intent first: from here on, a retry, the next identityFor or reconcile
          // finishes the deletion even if this process dies
          if (store(
              () -> table.startForget(appUserId, identity, clock.wallMillis()),
              "start the forget")) {
            finishForget(appUserId, identity);
            return;
          }
          continue;
        case FORGETTING:
          finishForget(appUserId, row.identity());
          return;
        case CREATING:
        default:
          if (isStale(row)) {
            // a dead creator's claim: remove it (nothing at ACS is known to delete)
            store(() -> table.release(appUserId, row.claimId()), "remove a stale claim");
            continue;
          }
          waiter.pause("another caller is still creating this user's identity");
      }
    }
  }

  /**
   * {@return the executor of the async twins: the builder's, else the directory's own daemon
   * threads, which {@link #close()} shuts down}
   */
  @Override
  public Executor asyncExecutor() {
    return executor;
  }

  /**
   * Settles every row that a crash or an outage left unsettled: removes stale claims (older than
   * the claim timeout) that have no identity, so that the user's next call creates one afresh, and
   * finishes interrupted forgets (revoke, delete at ACS, remove the row). Rows it cannot settle now
   * are counted as failures and left for the next sweep. Safe to run at any time, on any number of
   * instances at once; run it from a scheduled job, e.g. every few minutes.
   *
   * @return what the sweep did
   * @throws DirectoryException if the store cannot be read
   */
  public ReconcileResult reconcile() {
    int abandoned = 0;
    int forgotten = 0;
    int failures = 0;
    for (DirectoryTable.Unsettled u : store(table::unsettled, "list unsettled rows")) {
      Row row = u.row();
      try {
        if (row.state() == Row.State.FORGETTING) {
          if (isStale(row)) {
            finishForget(u.appUserId(), row.identity());
            forgotten++;
          }
        } else if (row.state() == Row.State.CREATING && isStale(row)) {
          if (store(() -> table.release(u.appUserId(), row.claimId()), "remove a stale claim")) {
            abandoned++;
          }
        }
      } catch (AcsException e) {
        failures++;
        LOG.warn(
            "reconcile could not settle a row now ({}); the next sweep tries again", e.toString());
      }
    }
    if (abandoned > 0) {
      LOG.warn(
          "reconcile removed {} abandoned claim(s): a caller stopped between claiming a user and"
              + " recording the identity; an identity ACS created in that moment cannot be found",
          abandoned);
    }
    return new ReconcileResult(abandoned, forgotten, failures);
  }

  /** Stops the threads the directory owns, if it owns any; the store is not touched. */
  @Override
  public void close() {
    if (ownedExecutor != null) {
      ownedExecutor.shutdown();
    }
  }

  /** {@return the table's name and the operations, no app user id} */
  @Override
  public String toString() {
    return "JdbcIdentityDirectory[table=" + table.name() + ", operations=" + operations + "]";
  }

  // ---- the protocol's steps

  /**
   * Creates the identity of a claimed user at ACS and records it.
   *
   * @return the identity, or null if the claim was lost (taken over or removed) meanwhile; the
   *     identity created here is then deleted at ACS and the caller reads the row again
   */
  private @Nullable IdentityId createClaimed(String appUserId, String claim) {
    IdentityId created;
    try {
      created = operations.createIdentity();
    } catch (RuntimeException e) {
      // nothing half-written: the claim goes; if even that fails, the claim goes stale and the
      // next caller or reconcile() takes it over
      try {
        table.release(appUserId, claim);
      } catch (SQLException | RuntimeException cleanup) {
        e.addSuppressed(cleanup);
        LOG.warn("could not remove a claim after ACS failed; it expires with the claim timeout");
      }
      throw e;
    }
    boolean recorded;
    try {
      recorded = table.record(appUserId, claim, created, clock.wallMillis());
    } catch (SQLException | RuntimeException first) {
      try {
        // one more try: the identity exists at ACS and only this caller knows its id
        recorded = table.record(appUserId, claim, created, clock.wallMillis());
      } catch (SQLException | RuntimeException second) {
        second.addSuppressed(first);
        deleteUnrecorded(created);
        try {
          table.release(appUserId, claim);
        } catch (SQLException | RuntimeException cleanup) {
          second.addSuppressed(cleanup);
        }
        throw new DirectoryException(
            "the directory's store failed while recording a new identity; the identity was deleted"
                + " at ACS and the call may be retried",
            true,
            second);
      }
    }
    if (recorded) {
      return created;
    }
    LOG.debug("lost the claim of an app user while creating its identity");
    deleteUnrecorded(created);
    return null;
  }

  /** Deletes at ACS an identity that no row holds, so that it is not left orphaned. */
  private void deleteUnrecorded(IdentityId identity) {
    try {
      operations.deleteIdentity(identity);
    } catch (NotFoundException gone) {
      // already gone: nothing to clean
    } catch (RuntimeException e) {
      // the id is not personal data and is what an operator needs to delete it by hand
      LOG.warn(
          "identity {} was created at ACS but not recorded, and deleting it failed ({}); delete it"
              + " by hand",
          identity,
          e.toString());
    }
  }

  private void finishForget(String appUserId, @Nullable IdentityId identity) {
    if (identity == null) {
      throw new DirectoryException(
          "a forgetting row has no identity; the table was edited", false, null);
    }
    try {
      operations.revokeTokens(identity);
    } catch (NotFoundException gone) {
      // deleted by an earlier, interrupted forget: nothing to revoke
    }
    try {
      operations.deleteIdentity(identity);
    } catch (NotFoundException gone) {
      // deleted before: the goal is reached
    }
    store(() -> table.finishForget(appUserId, identity), "remove a forgotten user");
  }

  private boolean isStale(Row row) {
    return clock.wallMillis() - row.claimedAtMillis() >= claimTimeout.toMillis();
  }

  private @Nullable Row read(String appUserId) {
    return store(() -> table.read(appUserId), "read the user's row");
  }

  /** One store step; an SQL failure becomes a {@link DirectoryException} without the user id. */
  private <T> T store(SqlStep<T> step, String what) {
    try {
      return step.run();
    } catch (SQLException e) {
      throw new DirectoryException(
          "the directory's store failed to " + what + " (SQLState " + e.getSQLState() + ")",
          isRetryable(e),
          e);
    }
  }

  private static boolean isRetryable(SQLException e) {
    String state = e.getSQLState();
    if (state == null || state.length() < 2) {
      return true;
    }
    // syntax, permission and data errors (42, 22, 28) do not heal by themselves
    String clazz = state.substring(0, 2);
    return !(clazz.equals("42") || clazz.equals("22") || clazz.equals("28"));
  }

  @FunctionalInterface
  private interface SqlStep<T> {
    T run() throws SQLException;
  }

  /**
   * Paces the polls of a caller waiting for another caller's claim: 5 ms, doubling up to 100 ms,
   * until the wait timeout is spent (counted in the pauses themselves, not read from a clock).
   */
  private final class Waiter {
    private long next = FIRST_POLL_MILLIS;
    private long waited;

    void pause(String why) {
      if (waited >= waitTimeout.toMillis()) {
        throw new DirectoryException(why + " after " + waitTimeout + "; retry later", true, null);
      }
      long pause = Math.min(next, waitTimeout.toMillis() - waited);
      try {
        Thread.sleep(Math.max(1, pause));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new DirectoryException("interrupted while waiting for another caller", false, e);
      }
      waited += pause;
      next = Math.min(next * 2, MAX_POLL_MILLIS);
    }
  }

  private static final class DaemonThreads implements ThreadFactory {
    private final AtomicInteger count = new AtomicInteger();

    @Override
    public Thread newThread(Runnable r) {
      Thread t = new Thread(r, "acs-identity-directory-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    }
  }

  /**
   * Builds a {@link JdbcIdentityDirectory}. {@link #dataSource} and {@link #identityOperations} are
   * required; every other option has a default. Not thread-safe.
   */
  public static final class Builder {
    private @Nullable DataSource dataSource;
    private @Nullable IdentityOperations operations;
    private String tableName = DEFAULT_TABLE_NAME;
    private boolean createTable = true;
    private TimeSource clock = TimeSource.system();
    private Duration claimTimeout = DEFAULT_CLAIM_TIMEOUT;
    private Duration waitTimeout = DEFAULT_WAIT_TIMEOUT;
    private @Nullable Executor executor;

    private Builder() {}

    /**
     * Sets the database; a pooled {@link DataSource} in production. Required.
     *
     * @param dataSource where the table lives
     * @return this builder
     */
    public Builder dataSource(DataSource dataSource) {
      this.dataSource = require(dataSource, "dataSource");
      return this;
    }

    /**
     * Sets what creates, revokes and deletes identities, e.g. core's {@code AcsIdentityClient}.
     * Required.
     *
     * @param operations the ACS identity operations
     * @return this builder
     */
    public Builder identityOperations(IdentityOperations operations) {
      this.operations = require(operations, "identityOperations");
      return this;
    }

    /**
     * Sets the table name; default {@value #DEFAULT_TABLE_NAME}.
     *
     * @param tableName an unquoted SQL identifier, optionally schema-qualified
     * @return this builder
     * @throws IllegalArgumentException if it is not one
     */
    public Builder tableName(String tableName) {
      this.tableName = DirectoryTable.checkName(tableName);
      return this;
    }

    /**
     * Sets whether {@link #build()} creates the table when it is missing; default true. Turn it off
     * when the schema is managed elsewhere, with {@link JdbcIdentityDirectory#ddl(String)}.
     *
     * @param createTable whether to create the table
     * @return this builder
     */
    public Builder createTable(boolean createTable) {
      this.createTable = createTable;
      return this;
    }

    /**
     * Sets the time source whose wall clock dates claims and judges them stale; default {@link
     * TimeSource#system()}. Every instance sharing the table should run on a clock within a
     * fraction of the claim timeout of the others'.
     *
     * @param timeSource the time source, e.g. the testkit's {@code MutableClock} in tests
     * @return this builder
     */
    public Builder timeSource(TimeSource timeSource) {
      this.clock = require(timeSource, "timeSource");
      return this;
    }

    /**
     * Sets after how long an unfinished claim or forget is presumed abandoned by a dead caller and
     * taken over; default 2 minutes. Make it longer than an ACS call with its retries, or a slow
     * but live caller is overtaken (it then deletes the identity it created, so no duplicate
     * survives, but ACS did the work twice).
     *
     * @param claimTimeout at least 1 second
     * @return this builder
     * @throws IllegalArgumentException if shorter
     */
    public Builder claimTimeout(Duration claimTimeout) {
      this.claimTimeout = atLeast(claimTimeout, Duration.ofSeconds(1), "claimTimeout");
      return this;
    }

    /**
     * Sets how long a caller waits for another caller that is creating the same user's identity
     * before it fails with a retryable {@link DirectoryException}; default 30 seconds. The wait is
     * the sum of the pauses between the caller's polls of the row (5 ms, doubling up to 100 ms),
     * not read from a clock, so that a test's frozen clock cannot stretch it; the polls' own SQL
     * time comes on top, so on a slow database the caller waits that much longer.
     *
     * @param waitTimeout at least 1 millisecond
     * @return this builder
     * @throws IllegalArgumentException if shorter
     */
    public Builder waitTimeout(Duration waitTimeout) {
      this.waitTimeout = atLeast(waitTimeout, Duration.ofMillis(1), "waitTimeout");
      return this;
    }

    /**
     * Sets where the async methods run their blocking JDBC work; by default on daemon threads the
     * directory owns and {@link JdbcIdentityDirectory#close()} stops.
     *
     * @param executor the executor
     * @return this builder
     */
    public Builder executor(Executor executor) {
      this.executor = require(executor, "executor");
      return this;
    }

    /**
     * Builds the directory and, unless told not to, creates its table when it is missing.
     *
     * @return the directory
     * @throws IllegalStateException if the data source or the identity operations are missing
     * @throws DirectoryException if the table cannot be created
     */
    public JdbcIdentityDirectory build() {
      if (dataSource == null) {
        throw new IllegalStateException("dataSource is required: call dataSource(DataSource)");
      }
      if (operations == null) {
        throw new IllegalStateException(
            "identityOperations is required: call identityOperations(IdentityOperations)");
      }
      DataSource ds = dataSource;
      IdentityOperations ops = operations;
      if (createTable) {
        try {
          new DirectoryTable(ds, tableName).createIfMissing();
        } catch (SQLException e) {
          throw new DirectoryException(
              "cannot create the table " + tableName + " (SQLState " + e.getSQLState() + ")",
              isRetryable(e),
              e);
        }
      }
      return new JdbcIdentityDirectory(this, ds, ops);
    }

    private static <T> T require(@Nullable T value, String option) {
      if (value == null) {
        throw new IllegalArgumentException(option + " must not be null");
      }
      return value;
    }

    private static Duration atLeast(@Nullable Duration value, Duration min, String option) {
      if (value == null) {
        throw new IllegalArgumentException(option + " must not be null");
      }
      if (value.compareTo(min) < 0) {
        throw new IllegalArgumentException(option + " must be at least " + min + "; got " + value);
      }
      return value;
    }
  }
}
