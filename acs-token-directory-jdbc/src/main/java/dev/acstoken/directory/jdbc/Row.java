package dev.acstoken.directory.jdbc;

import dev.acstoken.core.IdentityId;
import org.jspecify.annotations.Nullable;

/**
 * One row of the directory table as read: the state of one user's mapping.
 *
 * @param state what the row says
 * @param identity the ACS identity; null while {@link State#CREATING}
 * @param claimId the claim of the caller that is creating the identity; null otherwise
 * @param claimedAtMillis when the claim was made or the forget started (epoch millis); 0 when none
 */
record Row(
    State state, @Nullable IdentityId identity, @Nullable String claimId, long claimedAtMillis) {

  /** The states of a mapping. */
  enum State {
    /** A caller has claimed the user and is creating the identity at ACS; no identity yet. */
    CREATING,
    /** The user's identity; answered from the store. */
    ACTIVE,
    /** A forget has started: the identity is being revoked and deleted, then the row goes. */
    FORGETTING
  }
}
