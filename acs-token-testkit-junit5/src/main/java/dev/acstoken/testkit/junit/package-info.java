/**
 * JUnit 5 support: {@link dev.acstoken.testkit.junit.AcsEmulatorTest} (declarative) and {@link
 * dev.acstoken.testkit.junit.AcsEmulatorExtension} (programmatic, with {@code @RegisterExtension})
 * start one emulator per test class on a dynamic port, reset it between tests, inject it and ready
 * clients into test parameters, and stop it after the class.
 */
@NullMarked
package dev.acstoken.testkit.junit;

import org.jspecify.annotations.NullMarked;
