package dev.acstoken.cli;

import dev.acstoken.core.Futures;
import java.io.PrintStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Shows that something is going on when a call takes more than a second: a line on standard error,
 * then a dot a second, so that standard output stays clean for scripts.
 */
final class Progress {
  private Progress() {}

  static <T> T during(
      PrintStream err, boolean enabled, String label, Supplier<CompletableFuture<T>> work) {
    CompletableFuture<T> future = work.get();
    if (!enabled) {
      return Futures.join(future);
    }
    boolean shown = false;
    try {
      while (true) {
        try {
          T value = future.get(1, TimeUnit.SECONDS);
          if (shown) {
            err.println(" done");
          }
          return value;
        } catch (TimeoutException notYet) {
          err.print(shown ? "." : label + " …");
          err.flush();
          shown = true;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      future.cancel(true);
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      if (shown) {
        err.println(" failed");
      }
      throw Futures.toUnchecked(e);
    }
  }
}
