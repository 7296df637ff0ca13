package dev.acstoken.core;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The durable mapping from an application's own users to their ACS identities: each application
 * user has exactly one identity, created the first time it is asked for.
 *
 * <p>{@link #identityFor} creates the identity exactly once per user, across any number of threads
 * and (for a shared store such as the JDBC directory) any number of service instances; a known user
 * is answered from the store without calling ACS, so it keeps working while ACS is down. {@link
 * #forget} revokes and deletes the ACS identity and then the mapping, and is safe to retry after
 * any failure. Every method has an async twin that returns a {@link CompletableFuture}: a default
 * method that checks the app user id on the calling thread and then runs the blocking method on
 * {@link #asyncExecutor()}, so an implementation writes the blocking methods and names its
 * executor.
 *
 * <p>An application user id is the application's own key for the user (a login name, a subject
 * claim, a database key): 1 to {@value #MAX_APP_USER_ID_LENGTH} characters, each a letter or digit
 * of any script or a visible ASCII symbol ({@code !} to {@code ~}); no blanks, no control
 * characters. Ids are compared exactly (case-sensitive). {@link #checkAppUserId} is the one check
 * every implementation applies. Because an app user id may identify a person, no implementation
 * writes it to a log line at INFO or above, nor into an exception message.
 *
 * <p>Errors: the {@link dev.acstoken.core.error.AcsException} of the identity operations when ACS
 * must be called and fails (retryable ones stay retryable), {@link
 * dev.acstoken.core.error.DirectoryException} when the store fails, and {@link
 * IllegalArgumentException} for an invalid app user id. Implementations are thread-safe.
 */
public interface IdentityDirectory {

  /** The longest app user id, in characters (code points). */
  int MAX_APP_USER_ID_LENGTH = 256;

  /**
   * Returns the user's ACS identity, creating it on first use, exactly once across threads and
   * instances.
   *
   * @param appUserId the application's id of the user
   * @return the user's identity
   * @throws IllegalArgumentException if the app user id is invalid, see {@link #checkAppUserId}
   * @throws dev.acstoken.core.error.AcsException if the identity had to be created and ACS failed,
   *     or the store failed; nothing is half-written
   */
  IdentityId identityFor(String appUserId);

  /**
   * Returns a future of the user's ACS identity, creating it on first use; see {@link
   * #identityFor}. The default runs {@link #identityFor} on {@link #asyncExecutor()}.
   *
   * @param appUserId the application's id of the user
   * @return a future of the identity, completed exceptionally with an {@link
   *     dev.acstoken.core.error.AcsException} on failure (also when the executor refuses the work)
   * @throws IllegalArgumentException if the app user id is invalid (thrown, not in the future)
   */
  default CompletableFuture<IdentityId> identityForAsync(String appUserId) {
    checkAppUserId(appUserId);
    return Futures.supplyAsync(() -> identityFor(appUserId), asyncExecutor());
  }

  /**
   * Returns the user's identity if the directory holds one, without creating one and without
   * calling ACS.
   *
   * @param appUserId the application's id of the user
   * @return the identity, or empty for an unknown user (or one being created or forgotten)
   * @throws IllegalArgumentException if the app user id is invalid
   */
  Optional<IdentityId> find(String appUserId);

  /**
   * Returns a future of the user's identity if the directory holds one; see {@link #find}. The
   * default runs {@link #find} on {@link #asyncExecutor()}.
   *
   * @param appUserId the application's id of the user
   * @return a future of the identity or empty
   * @throws IllegalArgumentException if the app user id is invalid (thrown, not in the future)
   */
  default CompletableFuture<Optional<IdentityId>> findAsync(String appUserId) {
    checkAppUserId(appUserId);
    return Futures.supplyAsync(() -> find(appUserId), asyncExecutor());
  }

  /**
   * Forgets a user: revokes the tokens of their ACS identity, deletes the identity (and with it its
   * data at ACS), then removes the mapping. An identity ACS no longer knows counts as deleted. Does
   * nothing for an unknown user; safe to retry after any failure, and the next {@link #identityFor}
   * of the user creates a new identity.
   *
   * @param appUserId the application's id of the user
   * @throws IllegalArgumentException if the app user id is invalid
   * @throws dev.acstoken.core.error.AcsException if ACS or the store failed; retry it
   */
  void forget(String appUserId);

  /**
   * Forgets a user; see {@link #forget}. The default runs {@link #forget} on {@link
   * #asyncExecutor()}.
   *
   * @param appUserId the application's id of the user
   * @return a future completed once the identity and the mapping are gone
   * @throws IllegalArgumentException if the app user id is invalid (thrown, not in the future)
   */
  default CompletableFuture<Void> forgetAsync(String appUserId) {
    checkAppUserId(appUserId);
    return Futures.supplyAsync(
        () -> {
          forget(appUserId);
          return null;
        },
        asyncExecutor());
  }

  /**
   * Returns the executor on which the default async twins run the blocking methods. The default is
   * the calling thread (their futures are complete when they return); an implementation whose
   * methods block on I/O returns an executor of its own, such as the one its builder was given.
   *
   * @return the executor of the async twins
   */
  default Executor asyncExecutor() {
    return Runnable::run;
  }

  /**
   * Checks an application user id and returns it unchanged: 1 to {@value #MAX_APP_USER_ID_LENGTH}
   * characters, each a letter or digit (any script) or a visible ASCII symbol from {@code !} to
   * {@code ~}.
   *
   * <p>The error message names the rule and the position and code of the first bad character, but
   * not the id itself: an app user id may identify a person, and error messages end up in logs.
   *
   * @param appUserId the id to check
   * @return the same id
   * @throws IllegalArgumentException if the id is null, empty, too long or has a character that is
   *     not allowed
   */
  static String checkAppUserId(String appUserId) {
    if (appUserId == null) {
      throw new IllegalArgumentException("app user id must not be null");
    }
    if (appUserId.isEmpty()) {
      throw new IllegalArgumentException(
          "app user id must not be empty; allowed: 1 to "
              + MAX_APP_USER_ID_LENGTH
              + " letters, digits or visible ASCII symbols");
    }
    int length = appUserId.codePointCount(0, appUserId.length());
    if (length > MAX_APP_USER_ID_LENGTH) {
      throw new IllegalArgumentException(
          "app user id is "
              + length
              + " characters long; at most "
              + MAX_APP_USER_ID_LENGTH
              + " allowed");
    }
    int index = 0;
    for (int i = 0; i < appUserId.length(); index++) {
      int c = appUserId.codePointAt(i);
      boolean visibleAscii = c >= '!' && c <= '~';
      if (!visibleAscii && !(c > 0x7f && Character.isLetterOrDigit(c))) {
        throw new IllegalArgumentException(
            String.format(
                java.util.Locale.ROOT,
                "app user id has a character that is not allowed at index %d (U+%04X); allowed:"
                    + " letters, digits and visible ASCII symbols ! to ~, no blanks or control"
                    + " characters",
                index,
                c));
      }
      i += Character.charCount(c);
    }
    return appUserId;
  }
}
