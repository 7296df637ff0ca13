/**
 * Test doubles of the ACS Identity service, built on one in-memory engine (identities, tokens,
 * revocations, deletions and a clock) with two faces.
 *
 * <ul>
 *   <li>{@link dev.acstoken.testkit.FakeAcs}: an in-memory implementation of core's {@code
 *       TokenProvider} and {@code IdentityOperations}, with the service's validation and errors,
 *       fault injection and inspection, for fast unit tests.
 *   <li>{@link dev.acstoken.testkit.AcsEmulator}: an HTTPS emulator of the ACS Identity REST API,
 *       on its own bounded server, that any Azure SDK talks to over the network: HMAC and body-hash
 *       checks, api-versions, RS256 tokens with a JWKS, the service's error catalogue, faults,
 *       inspection.
 * </ul>
 *
 * <p>{@link dev.acstoken.testkit.InMemoryIdentityDirectory} maps application users to identities
 * over either face, for tests of code written against core's {@code IdentityDirectory}. {@link
 * dev.acstoken.testkit.MutableClock} moves time in tests without sleeping.
 */
@NullMarked
package dev.acstoken.testkit;

import org.jspecify.annotations.NullMarked;
