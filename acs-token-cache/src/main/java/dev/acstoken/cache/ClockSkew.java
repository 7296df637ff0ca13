package dev.acstoken.cache;

import dev.acstoken.core.AccessToken;
import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * How far the local wall clock runs ahead of the token issuer's, measured from the issued-at claim
 * ({@code iat}) of tokens fresh from the backend, so that a local clock that runs fast does not
 * make every token look expired on arrival.
 *
 * <p>Each new token gives a sample, the local wall time when the backend call <em>started</em>
 * minus its {@code iat}. For a token issued during the call that is at most the skew (the issuer
 * signed it after the call started), so the estimate errs towards a token having less time left,
 * never more, even when the answer arrives late: after a suspend, a clock step, a slow network. A
 * token issued before the call (an unusual backend) reads older by its age. The estimate is the
 * smallest of the last {@value #SAMPLES} samples, so one old token from an unusual backend does not
 * move it; below {@link #TOLERANCE_MILLIS} it is taken as zero (the local clock is trusted), and a
 * local clock that runs slow needs no estimate: a token's time left is never taken as more than
 * {@code exp - iat}.
 *
 * <p>Thread-safe: samples are written under the monitor, the estimate is a volatile read.
 */
final class ClockSkew {

  static final int SAMPLES = 8;
  static final long TOLERANCE_MILLIS = 30_000;

  private final long[] samples = new long[SAMPLES];
  private int count;
  private int next;
  private volatile long aheadMillis;

  /** {@return how many milliseconds the local wall clock runs ahead of the issuer's; 0 or more} */
  long aheadMillis() {
    return aheadMillis;
  }

  /**
   * Records a token that just arrived from the backend (not from a shared tier).
   *
   * @param callStartedWallMillis the local wall clock when the call that brought it started
   */
  void sample(AccessToken token, long callStartedWallMillis) {
    Long iat = issuedAtMillis(token);
    if (iat == null) {
      return;
    }
    synchronized (this) {
      samples[next] = callStartedWallMillis - iat;
      next = (next + 1) % SAMPLES;
      count = Math.min(count + 1, SAMPLES);
      long min = Long.MAX_VALUE;
      for (int i = 0; i < count; i++) {
        min = Math.min(min, samples[i]);
      }
      aheadMillis = min >= TOLERANCE_MILLIS ? min : 0;
    }
  }

  /** {@return the token's issued-at instant in epoch milliseconds, or null if it has none} */
  static @Nullable Long issuedAtMillis(AccessToken token) {
    try {
      Optional<Instant> iat = token.claims().issuedAt();
      return iat.map(Instant::toEpochMilli).orElse(null);
    } catch (RuntimeException e) {
      return null; // not a JWT (a test's token, say): the local clock is all there is
    }
  }
}
