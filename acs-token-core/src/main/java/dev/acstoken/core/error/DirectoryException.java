package dev.acstoken.core.error;

import org.jspecify.annotations.Nullable;

/**
 * An {@link dev.acstoken.core.IdentityDirectory} could not answer because of its store (a database
 * that is down, a query that failed) or because another thread or instance was still creating or
 * forgetting the same user's identity when the wait for it ran out. Nothing was half-written: the
 * call may be retried. Its message never holds the app user id.
 */
public final class DirectoryException extends AcsException {

  private static final long serialVersionUID = 1L;

  /**
   * Whether the same call may succeed later: a connection or transaction failure, not a schema one.
   */
  private final boolean retryable;

  /**
   * Creates the error.
   *
   * @param message what went wrong; must not contain an app user id or a secret
   * @param retryable whether the same call may succeed later
   * @param cause the cause, e.g. a {@code java.sql.SQLException}
   */
  public DirectoryException(String message, boolean retryable, @Nullable Throwable cause) {
    super(message, NO_STATUS, null, null, cause);
    this.retryable = retryable;
  }

  @Override
  public boolean isRetryable() {
    return retryable;
  }
}
