package dev.acstoken.directory.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.acstoken.core.AccessToken;
import dev.acstoken.core.IdentityId;
import dev.acstoken.core.IdentityOperations;
import dev.acstoken.core.Scope;
import dev.acstoken.core.TokenRequest;
import dev.acstoken.core.error.DirectoryException;
import dev.acstoken.core.error.ServiceUnavailableException;
import dev.acstoken.testkit.FakeAcs;
import dev.acstoken.testkit.MutableClock;
import dev.acstoken.testkit.Operation;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the JDBC directory must prove beyond the contract: exactly-once creation for a fleet, crash
 * recovery, fencing of a slow claimant, a store failure after ACS created the identity. Runs on
 * each database through a subclass.
 */
abstract class DirectoryBehaviour {

  private static final Instant START = Instant.parse("2026-03-01T08:00:00Z");
  private static final Duration CLAIM_TIMEOUT = Duration.ofMinutes(2);

  final MutableClock clock = MutableClock.at(START);
  final FakeAcs acs = FakeAcs.builder().clock(clock).build();
  final String table = Databases.freshTable();
  private final List<AutoCloseable> closeables = new ArrayList<>();

  abstract Databases database();

  @AfterEach
  void closeAll() throws Exception {
    for (AutoCloseable c : closeables) {
      c.close();
    }
  }

  /** One service instance: its own directory object over the given data source and operations. */
  JdbcIdentityDirectory instance(DataSource ds, IdentityOperations ops) {
    // short, so that a test of a waiter giving up on a crashed claim does not wait long
    return instance(ds, ops, Duration.ofMillis(200));
  }

  /** One service instance whose callers wait up to {@code waitTimeout} for another's claim. */
  JdbcIdentityDirectory instance(DataSource ds, IdentityOperations ops, Duration waitTimeout) {
    JdbcIdentityDirectory d =
        JdbcIdentityDirectory.builder()
            .dataSource(ds)
            .identityOperations(ops)
            .tableName(table)
            .timeSource(clock)
            .claimTimeout(CLAIM_TIMEOUT)
            .waitTimeout(waitTimeout)
            .build();
    closeables.add(d);
    return d;
  }

  JdbcIdentityDirectory instance(IdentityOperations ops) {
    return instance(database().unpooled(), ops);
  }

  long rows(Row.State state) throws Exception {
    return new DirectoryTable(database().unpooled(), table).count(state);
  }

  private static ServiceUnavailableException outage() {
    return new ServiceUnavailableException("Service Unavailable", 503, null, null, null);
  }

  @Test
  void identityFor_fourInstancesOf25ThreadsAskFor100NewUsers_createsExactly100Identities()
      throws Exception {
    int instances = 4;
    int threadsPerInstance = 25;
    int users = 100;
    List<JdbcIdentityDirectory> fleet = new ArrayList<>();
    for (int i = 0; i < instances; i++) {
      HikariDataSource pool = database().pool(10);
      closeables.add(pool);
      // the default wait: 100 threads on 40 connections of a loaded machine can hold a claim
      // for longer than the 200 ms of the crash tests, and a waiter that gives up is an error
      fleet.add(instance(pool, acs, JdbcIdentityDirectory.DEFAULT_WAIT_TIMEOUT));
    }
    Map<String, Set<IdentityId>> answers = new ConcurrentHashMap<>();
    AtomicInteger errors = new AtomicInteger();
    AtomicReference<RuntimeException> firstError = new AtomicReference<>();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService threads = Executors.newFixedThreadPool(instances * threadsPerInstance);
    List<Future<?>> done = new ArrayList<>();
    try {
      for (int i = 0; i < instances; i++) {
        JdbcIdentityDirectory directory = fleet.get(i);
        for (int t = 0; t < threadsPerInstance; t++) {
          List<String> order = new ArrayList<>();
          for (int u = 0; u < users; u++) {
            order.add("user-" + u);
          }
          // every thread asks for every user, each in its own order
          Collections.shuffle(order, new Random(i * 1000L + t));
          done.add(
              threads.submit(
                  () -> {
                    start.await();
                    for (String user : order) {
                      try {
                        answers
                            .computeIfAbsent(user, k -> ConcurrentHashMap.newKeySet())
                            .add(directory.identityFor(user));
                      } catch (RuntimeException e) {
                        firstError.compareAndSet(null, e);
                        errors.incrementAndGet();
                      }
                    }
                    return null;
                  }));
        }
      }
      start.countDown();
      for (Future<?> f : done) {
        f.get(5, TimeUnit.MINUTES);
      }
    } finally {
      threads.shutdownNow();
    }

    assertThat(errors).as("callers that failed; the first: %s", firstError.get()).hasValue(0);
    assertThat(acs.callCount(Operation.CREATE_IDENTITY)).isEqualTo(users);
    assertThat(acs.identities()).hasSize(users);
    assertThat(acs.deletedIdentities()).isEmpty();
    assertThat(answers).hasSize(users).allSatisfy((user, ids) -> assertThat(ids).hasSize(1));
    Set<IdentityId> distinct = new HashSet<>();
    answers.values().forEach(distinct::addAll);
    assertThat(distinct).containsExactlyInAnyOrderElementsOf(acs.identities());
    assertThat(rows(Row.State.ACTIVE)).isEqualTo(users);
    assertThat(rows(Row.State.CREATING)).isZero();
  }

  @Test
  void identityFor_afterCrashBeforeAcsCall_othersWaitThenTakeTheStaleClaimOver() throws Exception {
    JdbcIdentityDirectory crashed = instance(acs);
    JdbcIdentityDirectory other = instance(acs);
    acs.beforeEachCall(
        op -> {
          acs.beforeEachCall(null);
          throw new SimulatedCrash("before the ACS call");
        });
    assertThatThrownBy(() -> crashed.identityFor("alice")).isInstanceOf(SimulatedCrash.class);

    // the claim is young: the other instance waits for it, then gives up, retryable
    assertThatThrownBy(() -> other.identityFor("alice"))
        .isInstanceOfSatisfying(
            DirectoryException.class, e -> assertThat(e.isRetryable()).isTrue());
    assertThat(other.find("alice")).isEmpty();

    clock.advance(CLAIM_TIMEOUT);
    IdentityId id = other.identityFor("alice");

    assertThat(acs.identities()).containsExactly(id);
    assertThat(crashed.identityFor("alice")).isEqualTo(id);
    assertThat(rows(Row.State.CREATING)).isZero();
  }

  @Test
  void reconcile_afterCrashBeforeAcsCall_removesTheStaleClaimOnly() throws Exception {
    JdbcIdentityDirectory directory = instance(acs);
    IdentityId settled = directory.identityFor("bob");
    acs.beforeEachCall(
        op -> {
          acs.beforeEachCall(null);
          throw new SimulatedCrash("before the ACS call");
        });
    assertThatThrownBy(() -> directory.identityFor("alice")).isInstanceOf(SimulatedCrash.class);

    assertThat(directory.reconcile()).isEqualTo(new ReconcileResult(0, 0, 0));
    clock.advance(CLAIM_TIMEOUT);
    assertThat(directory.reconcile()).isEqualTo(new ReconcileResult(1, 0, 0));

    assertThat(rows(Row.State.CREATING)).isZero();
    IdentityId alice = directory.identityFor("alice");
    assertThat(acs.identities()).containsExactlyInAnyOrder(settled, alice);
  }

  /**
   * The one window no client of api-version 2022-10-01 can close: ACS created the identity and the
   * process died before anything could record its id. The user still ends with exactly one
   * identity, and reconcile counts the claim that may have left one behind.
   */
  @Test
  void reconcile_afterCrashBetweenAcsCreateAndRecord_countsTheAbandonedClaim() throws Exception {
    CrashingOperations ops = new CrashingOperations(acs);
    JdbcIdentityDirectory directory = instance(ops);
    ops.crashAfterCreate.set(true);
    assertThatThrownBy(() -> directory.identityFor("carol")).isInstanceOf(SimulatedCrash.class);
    IdentityId lost = acs.identities().get(0);

    clock.advance(CLAIM_TIMEOUT);
    ReconcileResult swept = directory.reconcile();
    IdentityId carol = directory.identityFor("carol");

    assertThat(swept.abandonedClaims()).isEqualTo(1);
    assertThat(carol).isNotEqualTo(lost);
    assertThat(directory.find("carol")).contains(carol);
    assertThat(rows(Row.State.ACTIVE)).isEqualTo(1);
  }

  @Test
  void identityFor_whenSlowClaimIsTakenOver_deletesItsOwnIdentityAndAnswersTheRecordedOne()
      throws Exception {
    JdbcIdentityDirectory slow = instance(acs);
    JdbcIdentityDirectory fast = instance(acs);
    CountDownLatch slowInAcs = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger creates = new AtomicInteger();
    acs.beforeEachCall(
        op -> {
          if (op == Operation.CREATE_IDENTITY && creates.incrementAndGet() == 1) {
            slowInAcs.countDown();
            try {
              release.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        });
    ExecutorService one = Executors.newSingleThreadExecutor();
    try {
      Future<IdentityId> slowAnswer = one.submit(() -> slow.identityFor("dave"));
      assertThat(slowInAcs.await(30, TimeUnit.SECONDS)).isTrue();

      clock.advance(CLAIM_TIMEOUT);
      IdentityId recorded = fast.identityFor("dave");
      release.countDown();

      assertThat(slowAnswer.get(30, TimeUnit.SECONDS)).isEqualTo(recorded);
      assertThat(acs.identities()).containsExactly(recorded);
      assertThat(acs.deletedIdentities()).hasSize(1).doesNotContain(recorded);
    } finally {
      release.countDown();
      one.shutdownNow();
    }
  }

  @Test
  void identityFor_whenStoreFailsToRecord_deletesTheNewIdentityAndFailsRetryable()
      throws Exception {
    FailingDataSource ds = new FailingDataSource(database().unpooled());
    JdbcIdentityDirectory directory = instance(ds, acs);
    ds.failNext("SET identity_id", 2);

    assertThatThrownBy(() -> directory.identityFor("erin"))
        .isInstanceOfSatisfying(
            DirectoryException.class,
            e -> {
              assertThat(e.isRetryable()).isTrue();
              assertThat(e.getMessage()).doesNotContain("erin");
            });
    assertThat(acs.identities()).isEmpty();
    assertThat(acs.deletedIdentities()).hasSize(1);
    assertThat(rows(Row.State.CREATING)).isZero();

    IdentityId erin = directory.identityFor("erin");

    assertThat(acs.identities()).containsExactly(erin);
  }

  @Test
  void identityFor_whenAcsDown_writesNoRowForTheNewUser() throws Exception {
    JdbcIdentityDirectory directory = instance(acs);
    IdentityId known = directory.identityFor("frank");
    acs.failWithProbability(null, 1.0, 1L, outage());

    assertThat(directory.identityFor("frank")).isEqualTo(known);
    assertThatThrownBy(() -> directory.identityFor("grace"))
        .isInstanceOfSatisfying(
            ServiceUnavailableException.class, e -> assertThat(e.isRetryable()).isTrue());

    assertThat(rows(Row.State.CREATING)).isZero();
    assertThat(rows(Row.State.ACTIVE)).isEqualTo(1);
  }

  @Test
  void identityFor_afterCrashDuringForget_finishesTheForgetAndCreatesANewIdentity()
      throws Exception {
    CrashingOperations ops = new CrashingOperations(acs);
    JdbcIdentityDirectory directory = instance(ops);
    IdentityId old = directory.identityFor("heidi");
    AccessToken token = acs.getToken(TokenRequest.of(old, Scope.CHAT));
    ops.crashAfterDelete.set(true);
    assertThatThrownBy(() -> directory.forget("heidi")).isInstanceOf(SimulatedCrash.class);

    assertThat(directory.find("heidi")).isEmpty();
    assertThat(rows(Row.State.FORGETTING)).isEqualTo(1);

    IdentityId renewed = directory.identityFor("heidi");

    assertThat(renewed).isNotEqualTo(old);
    assertThat(acs.deletedIdentities()).containsExactly(old);
    assertThat(acs.isValid(token)).isFalse();
    assertThat(acs.identities()).containsExactly(renewed);
    assertThat(rows(Row.State.FORGETTING)).isZero();
  }

  @Test
  void reconcile_afterCrashDuringForget_finishesItOnceStale() throws Exception {
    CrashingOperations ops = new CrashingOperations(acs);
    JdbcIdentityDirectory directory = instance(ops);
    IdentityId old = directory.identityFor("ivan");
    ops.crashAfterDelete.set(true);
    assertThatThrownBy(() -> directory.forget("ivan")).isInstanceOf(SimulatedCrash.class);

    assertThat(directory.reconcile()).isEqualTo(new ReconcileResult(0, 0, 0));
    clock.advance(CLAIM_TIMEOUT);
    assertThat(directory.reconcile()).isEqualTo(new ReconcileResult(0, 1, 0));

    assertThat(rows(Row.State.FORGETTING)).isZero();
    assertThat(acs.deletedIdentities()).containsExactly(old);
  }

  @Test
  void reconcile_whenAcsDownDuringForget_countsFailureAndKeepsTheRow() throws Exception {
    CrashingOperations ops = new CrashingOperations(acs);
    JdbcIdentityDirectory directory = instance(ops);
    directory.identityFor("judy");
    acs.failNext(Operation.REVOKE_TOKENS, 1, outage());
    assertThatThrownBy(() -> directory.forget("judy"))
        .isInstanceOf(ServiceUnavailableException.class);
    clock.advance(CLAIM_TIMEOUT);
    acs.failNext(Operation.REVOKE_TOKENS, 1, outage());

    assertThat(directory.reconcile()).isEqualTo(new ReconcileResult(0, 0, 1));
    assertThat(rows(Row.State.FORGETTING)).isEqualTo(1);

    directory.forget("judy");
    assertThat(rows(Row.State.FORGETTING)).isZero();
    assertThat(acs.identities()).isEmpty();
  }
}
