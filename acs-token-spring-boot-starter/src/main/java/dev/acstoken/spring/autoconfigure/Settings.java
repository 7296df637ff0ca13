package dev.acstoken.spring.autoconfigure;

import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/** Applies one property to a builder and names the property when the builder refuses the value. */
final class Settings {

  private Settings() {}

  /**
   * Hands a set property to a builder method; an unset (null) one is skipped.
   *
   * @param property the property's full name, e.g. {@code acs.cache.refresh-fraction}
   * @param value the bound value, or null
   * @param setter the builder method
   * @throws IllegalArgumentException naming the property and the builder's reason
   */
  static <T> void apply(String property, @Nullable T value, Consumer<T> setter) {
    if (value == null) {
      return;
    }
    try {
      setter.accept(value);
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw invalid(property, e);
    }
  }

  /**
   * Runs a step of the set-up and names the property when it fails.
   *
   * @param property the property's full name
   * @param step what to run
   */
  static void check(String property, Runnable step) {
    try {
      step.run();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw invalid(property, e);
    }
  }

  static IllegalArgumentException invalid(String property, RuntimeException e) {
    // the builders' messages never hold a secret; they say what is allowed and, for non-secret
    // options, the value
    return new IllegalArgumentException("invalid " + property + ": " + e.getMessage(), e);
  }

  static boolean isSet(@Nullable String value) {
    return value != null && !value.isBlank();
  }
}
