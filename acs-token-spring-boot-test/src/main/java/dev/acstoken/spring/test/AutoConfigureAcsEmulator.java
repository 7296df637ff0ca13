package dev.acstoken.spring.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.test.context.ContextCustomizerFactories;

/**
 * Runs a {@code @SpringBootTest} against an ACS emulator: one {@link
 * dev.acstoken.testkit.AcsEmulator} is started per application context (contexts are cached and
 * shared by test classes as usual), {@code acs.connection-string} points at it (overriding {@code
 * acs.endpoint} and {@code acs.access-key}), the auto-configured {@code AcsIdentityClient} trusts
 * its certificate and retries without delay, and the emulator is a bean, for inspection ({@code
 * isValid}, {@code issuedTokenCount}, ...) and faults ({@code inject}). It stops when the context
 * closes.
 *
 * <pre>{@code
 * @SpringBootTest
 * @AutoConfigureAcsEmulator
 * class TokenControllerTest {
 *   @Autowired TokenProvider tokens;
 *   @Autowired AcsEmulator acs;
 * }
 * }</pre>
 *
 * <p>The emulator serves HTTPS on the JDK's own sockets, so it needs no HTTP server library and
 * runs beside a Tomcat or Jetty application. State persists across the tests that share a context;
 * call {@code acs.reset()} where a test needs a clean slate.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ContextCustomizerFactories(AcsEmulatorContextCustomizerFactory.class)
public @interface AutoConfigureAcsEmulator {}
