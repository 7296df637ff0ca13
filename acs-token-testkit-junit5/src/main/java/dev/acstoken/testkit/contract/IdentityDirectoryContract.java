package dev.acstoken.testkit.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.acstoken.core.AccessToken;
import dev.acstoken.core.IdentityDirectory;
import dev.acstoken.core.IdentityId;
import dev.acstoken.core.IdentityOperations;
import dev.acstoken.core.Scope;
import dev.acstoken.core.TokenRequest;
import dev.acstoken.core.error.AcsException;
import dev.acstoken.core.error.ServiceUnavailableException;
import dev.acstoken.testkit.FakeAcs;
import dev.acstoken.testkit.Operation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The contract of core's {@link IdentityDirectory}: extend it, build the directory under test over
 * the {@link FakeAcs} handed to {@link #directory}, and JUnit runs these tests against it. Each
 * test gets a new fake; a directory over a shared store must start empty for each test.
 */
public abstract class IdentityDirectoryContract {

  private final FakeAcs acs = FakeAcs.create();

  /** Creates the contract; for subclasses. */
  protected IdentityDirectoryContract() {}

  /**
   * Returns the directory under test over the given operations; called once per test.
   *
   * @param operations the backend the directory must create, revoke and delete through
   * @return an empty directory
   */
  protected abstract IdentityDirectory directory(IdentityOperations operations);

  /** {@return the in-memory ACS the directory talks to in this test} */
  protected final FakeAcs acs() {
    return acs;
  }

  private static ServiceUnavailableException outage() {
    return new ServiceUnavailableException("Service Unavailable", 503, null, null, null);
  }

  /** The first call creates the user's identity at ACS. */
  @Test
  void identityFor_newUser_createsOneIdentity() {
    IdentityDirectory directory = directory(acs);

    IdentityId id = directory.identityFor("alice");

    assertThat(acs.identities()).containsExactly(id);
  }

  /** A known user is answered from the directory: the same identity, no call to ACS. */
  @Test
  void identityFor_knownUser_returnsSameIdentityWithoutCallingAcs() {
    IdentityDirectory directory = directory(acs);
    IdentityId first = directory.identityFor("alice");
    long calls = acs.callCount();

    IdentityId again = directory.identityFor("alice");

    assertThat(again).isEqualTo(first);
    assertThat(acs.callCount()).isEqualTo(calls);
  }

  /** Different users get different identities. */
  @Test
  void identityFor_twoUsers_createsTwoIdentities() {
    IdentityDirectory directory = directory(acs);

    IdentityId alice = directory.identityFor("alice");
    IdentityId bob = directory.identityFor("bob");

    assertThat(alice).isNotEqualTo(bob);
    assertThat(acs.identities()).containsExactlyInAnyOrder(alice, bob);
  }

  /** Concurrent first calls for one user create exactly one identity and all get it. */
  @Test
  void identityFor_concurrentFirstCalls_createExactlyOneIdentity() throws Exception {
    IdentityDirectory directory = directory(acs);
    int threads = 16;
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<IdentityId>> results = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  return directory.identityFor("carol");
                }));
      }
      start.countDown();
      Set<IdentityId> seen = new HashSet<>();
      for (Future<IdentityId> r : results) {
        seen.add(r.get(60, TimeUnit.SECONDS));
      }

      assertThat(seen).hasSize(1);
      assertThat(acs.callCount(Operation.CREATE_IDENTITY)).isEqualTo(1);
      assertThat(acs.identities()).containsExactlyElementsOf(seen);
    } finally {
      pool.shutdownNow();
    }
  }

  /** The async twin answers like the blocking call. */
  @Test
  void identityForAsync_completesWithTheSameIdentity() throws Exception {
    IdentityDirectory directory = directory(acs);

    IdentityId viaAsync = directory.identityForAsync("dave").get(60, TimeUnit.SECONDS);

    assertThat(directory.identityFor("dave")).isEqualTo(viaAsync);
    assertThat(acs.identities()).containsExactly(viaAsync);
  }

  /** find never creates: empty for an unknown user, the identity for a known one. */
  @Test
  void find_unknownThenKnown_neverCreates() throws Exception {
    IdentityDirectory directory = directory(acs);

    assertThat(directory.find("erin")).isEmpty();
    assertThat(directory.findAsync("erin").get(60, TimeUnit.SECONDS)).isEmpty();
    assertThat(acs.callCount()).isZero();

    IdentityId id = directory.identityFor("erin");

    assertThat(directory.find("erin")).contains(id);
    assertThat(directory.findAsync("erin").get(60, TimeUnit.SECONDS)).contains(id);
  }

  /** forget deletes the identity at ACS (its tokens rejected); the next call maps a new one. */
  @Test
  void forget_thenIdentityFor_deletesOldAndCreatesNew() {
    IdentityDirectory directory = directory(acs);
    IdentityId old = directory.identityFor("frank");
    AccessToken token = acs.getToken(TokenRequest.of(old, Scope.VOIP));

    directory.forget("frank");

    assertThat(directory.find("frank")).isEmpty();
    assertThat(acs.deletedIdentities()).contains(old);
    assertThat(acs.revocationCount(old)).isPositive();
    assertThat(acs.isValid(token)).isFalse();

    IdentityId renewed = directory.identityFor("frank");

    assertThat(renewed).isNotEqualTo(old);
    assertThat(acs.identities()).containsExactly(renewed);
  }

  /** The async twin of forget deletes the identity too. */
  @Test
  void forgetAsync_deletesIdentity() throws Exception {
    IdentityDirectory directory = directory(acs);
    IdentityId old = directory.identityFor("grace");

    directory.forgetAsync("grace").get(60, TimeUnit.SECONDS);

    assertThat(acs.deletedIdentities()).containsExactly(old);
    assertThat(directory.find("grace")).isEmpty();
  }

  /** Forgetting an unknown user does nothing and calls nobody. */
  @Test
  void forget_unknownUser_doesNothing() {
    IdentityDirectory directory = directory(acs);

    directory.forget("nobody");

    assertThat(acs.callCount()).isZero();
  }

  /** A forget that failed at ACS keeps the mapping; the retry finishes the job. */
  @Test
  void forget_whenAcsFails_keepsMappingAndRetryCompletes() {
    IdentityDirectory directory = directory(acs);
    IdentityId id = directory.identityFor("heidi");
    acs.failNext(Operation.DELETE_IDENTITY, 1, outage());

    assertThatThrownBy(() -> directory.forget("heidi"))
        .isInstanceOfSatisfying(AcsException.class, e -> assertThat(e.isRetryable()).isTrue());
    assertThat(acs.identities()).containsExactly(id);

    directory.forget("heidi");

    assertThat(acs.deletedIdentities()).containsExactly(id);
    assertThat(directory.find("heidi")).isEmpty();
  }

  /** An identity that someone already deleted at ACS counts as deleted: forget completes. */
  @Test
  void forget_whenIdentityAlreadyDeletedAtAcs_completes() {
    IdentityDirectory directory = directory(acs);
    IdentityId id = directory.identityFor("ivan");
    acs.deleteIdentity(id);

    directory.forget("ivan");

    assertThat(directory.find("ivan")).isEmpty();
  }

  /**
   * ACS down: a known user is still answered from the directory; a new user fails with ACS's
   * retryable error and nothing is written, so the retry after the outage creates one identity.
   */
  @Test
  void identityFor_whenAcsDown_knownUserAnsweredNewUserFailsRetryable() {
    IdentityDirectory directory = directory(acs);
    IdentityId known = directory.identityFor("judy");
    acs.failWithProbability(null, 1.0, 1L, outage());

    assertThat(directory.identityFor("judy")).isEqualTo(known);
    assertThatThrownBy(() -> directory.identityFor("mallory"))
        .isInstanceOfSatisfying(
            ServiceUnavailableException.class, e -> assertThat(e.isRetryable()).isTrue());
    assertThat(directory.find("mallory")).isEmpty();

    acs.clearFailures();
    IdentityId created = directory.identityFor("mallory");

    assertThat(acs.identities()).containsExactlyInAnyOrder(known, created);
  }

  /** An invalid app user id is refused before any call, and the message does not repeat it. */
  @Test
  void identityFor_invalidAppUserId_throwsIllegalArgumentWithoutCallingAcs() {
    IdentityDirectory directory = directory(acs);

    assertThatThrownBy(() -> directory.identityFor("two words"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("two words");
    assertThatThrownBy(() -> directory.find("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> directory.forget("x".repeat(IdentityDirectory.MAX_APP_USER_ID_LENGTH + 1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> directory.identityForAsync("tab\t"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(acs.callCount()).isZero();
  }
}
