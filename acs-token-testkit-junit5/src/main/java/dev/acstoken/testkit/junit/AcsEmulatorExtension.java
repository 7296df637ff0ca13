package dev.acstoken.testkit.junit;

import com.azure.communication.identity.CommunicationIdentityClientBuilder;
import dev.acstoken.core.IdentityOperations;
import dev.acstoken.core.TokenProvider;
import dev.acstoken.core.azure.AcsIdentityClient;
import dev.acstoken.core.azure.ConnectionString;
import dev.acstoken.testkit.AcsEmulator;
import dev.acstoken.testkit.MutableClock;
import java.lang.reflect.Parameter;
import java.time.Clock;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * A JUnit 5 extension that runs an {@link AcsEmulator} for a test class: declaratively through
 * {@link AcsEmulatorTest}, or programmatically:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final AcsEmulatorExtension ACS =
 *     AcsEmulatorExtension.using(AcsEmulator.builder().clock(MutableClock.systemStart()));
 *
 * @Test
 * void issues() {
 *   AcsIdentityClient client = ACS.emulator().acsIdentityClientBuilder().build();
 * }
 * }</pre>
 *
 * <p>In a static field or through the annotation: one emulator per test class (nested classes share
 * their outer class's); in an instance field, where JUnit calls no class-level callback, one per
 * test, closed after it. On a dynamic port; a class's emulator is started before its first test and
 * stopped when the class is done, through JUnit's store, so nothing is left running after the
 * suite. Before each test that runs in the class's thread the emulator is reset; tests running
 * concurrently within one class share it without resets (make your own identities; they never
 * collide). Classes running in parallel each have their own emulator. See {@link AcsEmulatorTest}
 * for the parameters it injects.
 */
public final class AcsEmulatorExtension
    implements BeforeAllCallback,
        BeforeEachCallback,
        AfterEachCallback,
        AfterAllCallback,
        ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(AcsEmulatorExtension.class);

  private final @Nullable Supplier<AcsEmulator.Builder> configured;
  private final boolean resetBetweenTests;
  private volatile @Nullable AcsEmulator current;

  /**
   * Whether JUnit called {@link #beforeAll} on this instance: not for an instance field, where each
   * test has its own extension and so its own emulator, closed after that test.
   */
  private volatile boolean classLevel;

  /** Creates the extension as {@link AcsEmulatorTest} does: configured by the annotation. */
  public AcsEmulatorExtension() {
    this(null, true);
  }

  private AcsEmulatorExtension(@Nullable Supplier<AcsEmulator.Builder> builder, boolean reset) {
    this.configured = builder;
    this.resetBetweenTests = reset;
  }

  /** {@return an extension that runs an emulator with every default} */
  public static AcsEmulatorExtension create() {
    return new AcsEmulatorExtension(AcsEmulator::builder, true);
  }

  /**
   * Returns an extension that runs emulators configured by a builder.
   *
   * @param builder the configuration; started once per test class
   * @return the extension
   */
  public static AcsEmulatorExtension using(AcsEmulator.Builder builder) {
    if (builder == null) {
      throw new IllegalArgumentException("builder must not be null");
    }
    return new AcsEmulatorExtension(() -> builder, true);
  }

  /**
   * Returns a copy of this extension that does not reset the emulator between tests.
   *
   * @return the new extension
   */
  public AcsEmulatorExtension withoutReset() {
    return new AcsEmulatorExtension(configured, false);
  }

  /**
   * Returns the emulator of the running test class.
   *
   * @return the emulator
   * @throws IllegalStateException if no test class is running
   */
  public AcsEmulator emulator() {
    AcsEmulator e = current;
    if (e == null) {
      throw new IllegalStateException("no emulator is running; is a test class of it running?");
    }
    return e;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    classLevel = true;
    emulator(context);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    AcsEmulator e = emulator(context);
    boolean reset =
        resetBetweenTests
            && annotation(context).map(AcsEmulatorTest::resetBetweenTests).orElse(true);
    // a test that runs concurrently with its siblings shares their emulator: no reset under them
    if (reset && context.getExecutionMode() == ExecutionMode.SAME_THREAD) {
      e.reset();
    }
  }

  /**
   * Closes the test's own emulator when the extension sits in an instance field: JUnit calls no
   * {@code afterAll} there, and before 5.13 does not close what its store holds.
   */
  @Override
  public void afterEach(ExtensionContext context) {
    if (classLevel) {
      return;
    }
    current = null;
    ExtensionContext.Store store = classStore(context);
    AcsEmulator e = store.remove(key(), AcsEmulator.class);
    if (e != null) {
      store.remove(clientKey(e));
      e.close();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    current = null;
    // Only the class that started the emulator holds it in its own store (remove() does not look
    // in the parents' stores, so a nested class leaves its outer class's emulator alone). Closed
    // here rather than by the store: JUnit before 5.13 does not close an AutoCloseable it holds.
    AcsEmulator e = classStore(context).remove(key(), AcsEmulator.class);
    if (e != null) {
      e.close();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext context) {
    Class<?> type = p.getParameter().getType();
    return type == AcsEmulator.class
        || type == ConnectionString.class
        || (type == String.class && p.isAnnotated(EmulatorConnectionString.class))
        || type == CommunicationIdentityClientBuilder.class
        || type == AcsIdentityClient.Builder.class
        || type == AcsIdentityClient.class
        || type == TokenProvider.class
        || type == IdentityOperations.class
        || type == MutableClock.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext context) {
    AcsEmulator e = emulator(context);
    Parameter parameter = p.getParameter();
    Class<?> type = parameter.getType();
    if (type == AcsEmulator.class) {
      return e;
    }
    if (type == ConnectionString.class) {
      return ConnectionString.parse(e.connectionString());
    }
    if (type == String.class) {
      return e.connectionString();
    }
    if (type == CommunicationIdentityClientBuilder.class) {
      return e.identityClientBuilder();
    }
    if (type == AcsIdentityClient.Builder.class) {
      return e.acsIdentityClientBuilder();
    }
    if (type == MutableClock.class) {
      Clock c = e.clock();
      if (c instanceof MutableClock) {
        return c;
      }
      throw new ParameterResolutionException(
          "the emulator runs on the system clock; use @AcsEmulatorTest(mutableClock = true) or"
              + " AcsEmulatorExtension.using(AcsEmulator.builder().clock(MutableClock...))");
    }
    // AcsIdentityClient, TokenProvider, IdentityOperations: one client per emulator
    return classStore(context)
        .getOrComputeIfAbsent(
            clientKey(e), k -> e.acsIdentityClientBuilder().build(), AcsIdentityClient.class);
  }

  private AcsEmulator emulator(ExtensionContext context) {
    ExtensionContext.Store store = classStore(context);
    // Store.get looks in the parents' stores too: a nested class shares its outer class's emulator
    AcsEmulator e = store.get(key(), AcsEmulator.class);
    if (e == null) {
      e = start(context);
      store.put(key(), e); // closed by afterAll of the class whose store holds it
    }
    current = e;
    return e;
  }

  private AcsEmulator start(ExtensionContext context) {
    if (configured != null) {
      return configured.get().start();
    }
    AcsEmulator.Builder b = AcsEmulator.builder();
    Optional<AcsEmulatorTest> a = annotation(context);
    if (a.isPresent()) {
      b.tls(a.get().tls());
      if (a.get().mutableClock()) {
        b.clock(MutableClock.systemStart());
      }
      if (!a.get().resourceId().isEmpty()) {
        b.resourceId(a.get().resourceId());
      }
    }
    return b.start();
  }

  private static Optional<AcsEmulatorTest> annotation(ExtensionContext context) {
    for (Optional<ExtensionContext> c = Optional.of(context);
        c.isPresent();
        c = c.get().getParent()) {
      Optional<Class<?>> type = c.get().getTestClass();
      if (type.isPresent()) {
        AcsEmulatorTest a = findAnnotation(type.get());
        if (a != null) {
          return Optional.of(a);
        }
      }
    }
    return Optional.empty();
  }

  private static @Nullable AcsEmulatorTest findAnnotation(Class<?> type) {
    for (Class<?> t = type; t != null; t = t.getEnclosingClass()) {
      AcsEmulatorTest a = t.getAnnotation(AcsEmulatorTest.class);
      if (a != null) {
        return a;
      }
    }
    return null;
  }

  private static ExtensionContext.Store classStore(ExtensionContext context) {
    ExtensionContext c = context;
    while (c.getTestMethod().isPresent() && c.getParent().isPresent()) {
      c = c.getParent().get();
    }
    return c.getStore(NAMESPACE);
  }

  private String key() {
    return "emulator@" + System.identityHashCode(this);
  }

  private static String clientKey(AcsEmulator e) {
    return "client@" + System.identityHashCode(e);
  }
}
