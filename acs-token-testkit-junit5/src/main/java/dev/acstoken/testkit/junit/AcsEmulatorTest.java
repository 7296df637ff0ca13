package dev.acstoken.testkit.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test class against an {@link dev.acstoken.testkit.AcsEmulator}: one emulator per class on
 * a dynamic port, reset before every test that runs in the same thread as its class, stopped after
 * the class. Test methods and constructors receive, by parameter type, the {@code AcsEmulator}, its
 * {@code ConnectionString}, a {@code String} annotated {@link EmulatorConnectionString}, a fresh
 * {@code CommunicationIdentityClientBuilder} or {@code AcsIdentityClient.Builder}, a ready {@code
 * AcsIdentityClient} (also as {@code TokenProvider} and {@code IdentityOperations}) and, with
 * {@link #mutableClock()}, the {@code MutableClock}.
 *
 * <pre>{@code
 * @AcsEmulatorTest(mutableClock = true)
 * class QuickstartTest {
 *   @Test
 *   void tokenExpires(TokenProvider acs, IdentityOperations ops, AcsEmulator emulator, MutableClock clock) {
 *     ...
 *   }
 * }
 * }</pre>
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@ExtendWith(AcsEmulatorExtension.class)
public @interface AcsEmulatorTest {

  /**
   * Whether the emulator serves HTTPS; the Azure SDKs need it.
   *
   * @return true (the default) for HTTPS
   */
  boolean tls() default true;

  /**
   * Whether the emulator runs on a {@link dev.acstoken.testkit.MutableClock} (starting at the
   * current time, moving only when a test advances it) instead of the system clock.
   *
   * @return true for a mutable clock; false (the default) for the system clock
   */
  boolean mutableClock() default false;

  /**
   * The GUID of the emulated resource.
   *
   * @return the GUID; empty (the default) for a random one
   */
  String resourceId() default "";

  /**
   * Whether to reset the emulator before each test.
   *
   * @return true (the default) to reset
   */
  boolean resetBetweenTests() default true;
}
