package dev.acstoken.testkit;

import dev.acstoken.core.IdentityDirectory;
import dev.acstoken.core.IdentityId;
import dev.acstoken.core.IdentityOperations;
import dev.acstoken.core.error.NotFoundException;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * An {@link IdentityDirectory} in memory, over any {@link IdentityOperations} (typically a {@link
 * FakeAcs}), for unit tests of code that maps its users to ACS identities.
 *
 * <p>It keeps the contract of the durable directories within one process: one identity per user,
 * created exactly once however many threads ask at the same time; known users are answered without
 * calling ACS; a failed creation leaves nothing behind; {@link #forget} revokes and deletes the
 * identity before it drops the mapping, and an identity ACS no longer knows counts as deleted. The
 * mapping lives as long as the object.
 *
 * <p>Thread-safe: calls for different users run in parallel, calls for the same user one after the
 * other. Async methods run on the executor given to {@link #create(IdentityOperations, Executor)};
 * by default on the calling thread, so that their future is complete when they return.
 *
 * <pre>{@code
 * FakeAcs acs = FakeAcs.create();
 * IdentityDirectory directory = InMemoryIdentityDirectory.create(acs);
 * IdentityId alice = directory.identityFor("alice");
 * }</pre>
 */
public final class InMemoryIdentityDirectory implements IdentityDirectory {

  private final IdentityOperations operations;
  private final Executor executor;
  private final ConcurrentHashMap<String, IdentityId> identities = new ConcurrentHashMap<>();
  // one monitor per user that was ever asked for; a test directory lives as long as its test
  private final ConcurrentHashMap<String, Object> locks = new ConcurrentHashMap<>();

  private InMemoryIdentityDirectory(IdentityOperations operations, Executor executor) {
    this.operations = operations;
    this.executor = executor;
  }

  /**
   * Returns an empty directory whose async methods run on the calling thread.
   *
   * @param operations what creates, revokes and deletes identities, e.g. a {@link FakeAcs}
   * @return the directory
   * @throws IllegalArgumentException if operations is null
   */
  public static InMemoryIdentityDirectory create(IdentityOperations operations) {
    return create(operations, Runnable::run);
  }

  /**
   * Returns an empty directory whose async methods run on an executor.
   *
   * @param operations what creates, revokes and deletes identities, e.g. a {@link FakeAcs}
   * @param executor where the async methods run
   * @return the directory
   * @throws IllegalArgumentException if an argument is null
   */
  public static InMemoryIdentityDirectory create(IdentityOperations operations, Executor executor) {
    if (operations == null) {
      throw new IllegalArgumentException("identity operations must not be null");
    }
    if (executor == null) {
      throw new IllegalArgumentException("executor must not be null");
    }
    return new InMemoryIdentityDirectory(operations, executor);
  }

  @Override
  public IdentityId identityFor(String appUserId) {
    IdentityDirectory.checkAppUserId(appUserId);
    // fast path: a known user never waits for a lock nor calls ACS
    IdentityId known = identities.get(appUserId);
    if (known != null) {
      return known;
    }
    synchronized (lockOf(appUserId)) {
      known = identities.get(appUserId);
      if (known != null) {
        return known;
      }
      // created under the user's lock, so concurrent first calls create exactly one identity; a
      // failure throws before anything is stored
      IdentityId created = operations.createIdentity();
      identities.put(appUserId, created);
      return created;
    }
  }

  @Override
  public Optional<IdentityId> find(String appUserId) {
    IdentityDirectory.checkAppUserId(appUserId);
    return Optional.ofNullable(identities.get(appUserId));
  }

  @Override
  public void forget(String appUserId) {
    IdentityDirectory.checkAppUserId(appUserId);
    synchronized (lockOf(appUserId)) {
      IdentityId identity = identities.get(appUserId);
      if (identity == null) {
        return;
      }
      // ACS first, the mapping last: if a call fails, the mapping stays and a retry finishes
      try {
        operations.revokeTokens(identity);
      } catch (NotFoundException alreadyGone) {
        // deleted by an earlier, interrupted forget: nothing left to revoke
      }
      try {
        operations.deleteIdentity(identity);
      } catch (NotFoundException alreadyGone) {
        // deleted before: the goal is reached
      }
      identities.remove(appUserId, identity);
    }
  }

  /**
   * {@return the executor of the async twins: the one given to {@link #create(IdentityOperations,
   * Executor)}, else the calling thread}
   */
  @Override
  public Executor asyncExecutor() {
    return executor;
  }

  /** {@return a copy of the mapping, app user id to identity, sorted by app user id} */
  public Map<String, IdentityId> snapshot() {
    return new TreeMap<>(identities);
  }

  /** {@return how many users the directory maps} */
  public int size() {
    return identities.size();
  }

  private Object lockOf(String appUserId) {
    return locks.computeIfAbsent(appUserId, k -> new Object());
  }

  /** {@return a summary without app user ids} */
  @Override
  public String toString() {
    return "InMemoryIdentityDirectory[users="
        + identities.size()
        + ", operations="
        + operations
        + "]";
  }
}
