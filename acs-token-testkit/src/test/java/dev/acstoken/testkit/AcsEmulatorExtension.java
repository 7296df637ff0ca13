package dev.acstoken.testkit;

import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * This module's own tests' emulator per test class: started before the class, reset before each
 * test that runs in the class's thread, closed after the class.
 *
 * <p>A test-only stand-in for the public {@code dev.acstoken.testkit.junit.AcsEmulatorExtension} of
 * {@code acs-token-testkit-junit5}, which depends on this module and so cannot serve its tests.
 * Same name and the same three methods, so a test moves between the modules by its import alone.
 */
final class AcsEmulatorExtension
    implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

  private final Supplier<AcsEmulator.Builder> builder;
  private volatile @Nullable AcsEmulator current;

  private AcsEmulatorExtension(Supplier<AcsEmulator.Builder> builder) {
    this.builder = builder;
  }

  /** {@return an extension that runs an emulator with every default} */
  static AcsEmulatorExtension create() {
    return new AcsEmulatorExtension(AcsEmulator::builder);
  }

  /** {@return an extension that runs emulators configured by {@code builder}} */
  static AcsEmulatorExtension using(AcsEmulator.Builder builder) {
    return new AcsEmulatorExtension(() -> builder);
  }

  /** {@return the emulator of the running test class} */
  AcsEmulator emulator() {
    AcsEmulator e = current;
    if (e == null) {
      throw new IllegalStateException("no emulator is running; is a test class of it running?");
    }
    return e;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    current = builder.get().start();
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    // a test that runs concurrently with its siblings shares their emulator: no reset under them
    if (context.getExecutionMode() == ExecutionMode.SAME_THREAD) {
      emulator().reset();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    AcsEmulator e = current;
    current = null;
    if (e != null) {
      e.close();
    }
  }
}
