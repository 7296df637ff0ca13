/**
 * The contract suite of core's {@code TokenProvider}, {@code IdentityOperations} and {@code
 * IdentityDirectory}: abstract JUnit 5 test classes that an implementation's test extends,
 * supplying the implementation. The testkit runs them against its fake, against core's SDK-backed
 * client talking to the emulator, and against a real ACS resource when {@code
 * ACS_CONNECTION_STRING} is set.
 */
@NullMarked
package dev.acstoken.testkit.contract;

import org.jspecify.annotations.NullMarked;
