package dev.acstoken.core;

import dev.acstoken.core.error.AcsException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Blocking on a future of this library, written once: every synchronous method that waits for its
 * asynchronous twin goes through {@link #join}, so that every caller sees the same exception the
 * asynchronous caller would, unwrapped, with the interrupt flag kept. Stateless and thread-safe.
 */
public final class Futures {

  private Futures() {}

  /**
   * Waits for a future and returns its value; a failure is thrown as the exception the future
   * failed with (unwrapped from {@link CompletionException} and {@link ExecutionException}), an
   * unchecked one as is, a checked one wrapped in an {@link AcsException}.
   *
   * @param future the future
   * @param <T> the type of its value
   * @return its value
   * @throws AcsException if the thread was interrupted while waiting (the interrupt flag is set
   *     again, the future is left alone), or if the future failed with a checked exception
   */
  public static <T> T join(CompletableFuture<T> future) {
    try {
      return future.get();
    } catch (ExecutionException e) {
      throw toUnchecked(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AcsException("interrupted while waiting", AcsException.NO_STATUS, null, null, e);
    }
  }

  /**
   * Waits for a future at most the given time on the thread's own clock: a backstop for code whose
   * timeouts run on a scheduler that might never run (a test's manual scheduler, say).
   *
   * @param future the future
   * @param timeoutNanos how long to wait at most
   * @param onTimeout makes the exception to throw when the time is up (only then)
   * @param <T> the type of its value
   * @return its value
   * @throws RuntimeException what {@link #join(CompletableFuture)} throws, or {@code onTimeout}'s
   */
  public static <T> T join(
      CompletableFuture<T> future, long timeoutNanos, Supplier<RuntimeException> onTimeout) {
    try {
      return future.get(timeoutNanos, TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      throw toUnchecked(e);
    } catch (TimeoutException e) {
      throw onTimeout.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AcsException("interrupted while waiting", AcsException.NO_STATUS, null, null, e);
    }
  }

  /**
   * Runs work on an executor and returns the future of its result: like {@link
   * CompletableFuture#supplyAsync(Supplier, Executor)}, but an executor that refuses the work (shut
   * down, saturated) fails the future instead of throwing, and an {@link Error} of the work fails
   * it too, so that a caller of an async method always gets a future.
   *
   * @param work the work
   * @param executor where it runs
   * @param <T> the type of its result
   * @return the future of its result
   */
  public static <T> CompletableFuture<T> supplyAsync(Supplier<T> work, Executor executor) {
    CompletableFuture<T> f = new CompletableFuture<>();
    try {
      executor.execute(
          () -> {
            try {
              f.complete(work.get());
            } catch (RuntimeException | Error e) {
              f.completeExceptionally(e);
            }
          });
    } catch (RuntimeException rejected) {
      f.completeExceptionally(rejected);
    }
    return f;
  }

  /**
   * Returns the cause that a {@link CompletionException} or {@link ExecutionException} wraps, at
   * any depth; any other throwable as is.
   *
   * @param error the throwable
   * @return the innermost cause of the wrappers
   */
  public static Throwable unwrap(Throwable error) {
    Throwable c = error;
    while ((c instanceof CompletionException || c instanceof ExecutionException)
        && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }

  /**
   * Returns an unchecked exception to throw for a failure: the unwrapped cause as is when it is
   * unchecked (an {@link Error} is thrown at once), else wrapped in an {@link AcsException}.
   *
   * @param error the failure
   * @return the exception to throw
   */
  public static RuntimeException toUnchecked(@Nullable Throwable error) {
    Throwable c =
        error == null
            ? new AcsException("failed without a cause", AcsException.NO_STATUS, null, null, null)
            : unwrap(error);
    if (c instanceof RuntimeException) {
      return (RuntimeException) c;
    }
    if (c instanceof Error) {
      throw (Error) c;
    }
    return new AcsException(
        "failed with " + c.getClass().getName(), AcsException.NO_STATUS, null, null, c);
  }
}
